#pragma once
// Turns a person's free-text answers into a draft OKR: the objective in their own words and
// key-result candidates with numbers, units, baseline -> target, direction and deadline.
// Deterministic and offline; see ../shared/COACHING.md for the rules it serves.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dialogs/domain.hpp"

namespace okr::dialogs {

// One key-result candidate as understood from the person's words.
struct KeyResultDraft {
  std::string text;  // the candidate as the person wrote it, trimmed of bullets/numbering
  KeyResultKind kind = KeyResultKind::metric;
  std::optional<double> baseline;
  std::optional<double> target;
  // Normalised: "%", "USD", "EUR", "GBP", "points" (NPS and other scores), "ms", "seconds",
  // "minutes", "hours", "days", "weeks", "months", "years", or "" for a plain count. Values
  // are already scaled ("$1.2M" -> 1200000) and percentages stay in points (40% -> 40).
  std::string unit;
  Direction direction = Direction::increase;
  // As written, with its preposition: "by March", "by end of Q2", "by 2026-12-31",
  // "within 6 weeks", "in Q3". None means the cycle's end.
  std::optional<std::string> deadline;
  bool has_number = false;  // any number at all was found
  // A change stated without an end value ("reduce churn by 20%", "double sign-ups"). When a
  // baseline is known the drafter also computes `target`; without one the change is kept as
  // said, so the coach can ask for the starting point instead of guessing it.
  std::optional<double> relative_change;  // signed fraction: "by 20%" -> -0.2, "double" -> 1.0
  std::optional<double> absolute_change;  // signed, in `unit`: "by 10 points" -> 10
};

// "How will you know?" answer -> candidate lines (bullets, numbering, lines, semicolons, and
// "and" between two measurable clauses).
std::vector<std::string> split_key_result_candidates(std::string_view answer);

// One candidate -> its structure.
KeyResultDraft parse_key_result(std::string_view candidate);

// The draft with a starting point learned later ("where are you today?"): the baseline is set
// and a change said earlier ("reduce churn by 20%") becomes a target; the direction follows
// the numbers when both ends are known.
KeyResultDraft with_baseline(KeyResultDraft draft, double baseline);

// The first amount in a short answer such as "about 40%", "$1.2M", "40k", "12 days", already
// scaled; nothing when the answer holds no amount (years and dates are not amounts).
std::optional<double> amount_in_answer(std::string_view answer);

// "What do you want?" answer -> a concise objective in the person's words ("I want to",
// "we would like to", trailing punctuation dropped; first letter capitalised).
std::string objective_from_answer(std::string_view answer);

}  // namespace okr::dialogs
