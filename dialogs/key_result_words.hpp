#pragma once
// The vocabulary the drafter reads key results with: list markers, direction words, target and
// baseline cues, multipliers ("double", "in half"), milestone verbs and baseline phrases.
// Word lists receive the candidate as a sequence of lower-cased words in which a quantity
// appears as "#" followed by its unit ("#%", "#USD", "#" for a count).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dialogs/domain.hpp"

namespace okr::dialogs {

using Words = std::vector<std::string>;

// "- ", "* ", "• ", "1. ", "2) ", "(3) ", "a) ", "KR1: ", "✅ " at the start of a line.
std::string_view strip_list_marker(std::string_view line);

// Opening words that introduce the list rather than belong to it ("We'll know when").
std::string_view strip_answer_lead_in(std::string_view line);

std::optional<Direction> direction_word(std::string_view previous, std::string_view word,
                                        std::string_view next);
std::optional<Direction> direction_in_words(const Words& words);

struct TargetCue {
  bool is_target = false;
  bool threshold = false;  // "below", "at least": a bound, weaker evidence than "to"
  std::optional<Direction> hint;
};
TargetCue target_cue(std::string_view word, std::string_view previous);

bool baseline_cue_before(std::string_view word);  // "currently 30", "baseline 30"
bool baseline_cue_after(std::string_view word);   // "30 today", "30 now"

// "double" -> 2, "in half" -> 0.5; 0 when the word is no multiplier.
double multiplier_of(std::string_view word, std::string_view previous);

bool establishes_baseline(const Words& words);
bool is_milestone(const Words& words);

}  // namespace okr::dialogs
