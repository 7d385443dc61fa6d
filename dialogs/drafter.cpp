// parse_key_result: one key-result candidate -> kind, baseline -> target, unit, direction,
// deadline. Reads tokens, not regular expressions, so that cues like "from", "to", "by",
// "currently" can be weighed against each other (see README notes in the corpus test).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dialogs/answer_tokens.hpp"
#include "dialogs/deadline.hpp"
#include "dialogs/drafter.hpp"
#include "dialogs/key_result_words.hpp"
#include "dialogs/words.hpp"

namespace okr::dialogs {
namespace {

enum class NumberRole { none, baseline, target, change };

// How sure a cue makes us that a number is the target: an explicit pair ("40% -> 60%",
// "from 40 to 60") beats "to 60", which beats "90% of tickets", which beats a threshold
// ("under 2 hours"), which beats a lone number with no cue at all.
enum Strength { fallback = 0, threshold = 1, share = 2, cue = 3, pair = 4 };

struct Reading {
  const AnswerToken* token = nullptr;
  NumberRole role = NumberRole::none;
  int strength = fallback;
  std::optional<Direction> hint;  // "below 3%" suggests decrease, "at least 40" increase
  bool plus_sign = false;         // "+10 points"
};

struct Piece {
  const AnswerToken* token;
  std::size_t reading = static_cast<std::size_t>(-1);  // index into readings when a quantity
};

bool filler(const AnswerToken& t) {
  if (t.kind == TokenKind::symbol) {
    return t.word == "(" || t.word == "~" || t.word == ":" || t.word == "=" || t.word == "\"" ||
           t.word == "'" || t.word == "*";
  }
  if (t.kind != TokenKind::word) return false;
  static constexpr std::array<std::string_view, 24> fillers{
      "at",     "about", "around", "roughly", "approx", "approximately", "circa", "ca",
      "is",     "are",   "of",     "only",    "just",   "the",           "a",     "an",
      "our",    "its",   "nearly", "almost",  "be",     "stay",          "stays", "remain"};
  for (const auto f : fillers) {
    if (t.word == f) return true;
  }
  return false;
}

std::size_t previous_cue(const std::vector<Piece>& p, std::size_t k) {
  if (k > p.size()) return static_cast<std::size_t>(-1);
  while (k > 0) {
    --k;
    if (!filler(*p[k].token)) return k;
  }
  return static_cast<std::size_t>(-1);
}

std::size_t next_cue(const std::vector<Piece>& p, std::size_t k) {
  for (++k; k < p.size(); ++k) {
    if (!filler(*p[k].token) && !(p[k].token->kind == TokenKind::symbol && p[k].token->word == ")")) {
      return k;
    }
  }
  return static_cast<std::size_t>(-1);
}

// The candidate as the vocabulary in key_result_words.hpp reads it.
std::string vocabulary_word(const AnswerToken& t) {
  if (t.kind == TokenKind::quantity) return "#" + t.unit;
  if (t.kind == TokenKind::date) return "#date";
  return t.word;
}

// "120 now", "2 per week today", "30 (today)": a few words on, before the next number or comma.
bool baseline_said_after(const std::vector<Piece>& p, std::size_t k) {
  for (std::size_t j = k + 1, words = 0; j < p.size() && words < 4; ++j) {
    const AnswerToken& t = *p[j].token;
    if (t.kind == TokenKind::quantity || t.kind == TokenKind::arrow) return false;
    if (t.kind == TokenKind::symbol && t.word != "(" && t.word != ")") return false;
    if (t.kind == TokenKind::word) {
      if (baseline_cue_after(t.word)) return true;
      if (t.word == "to" || t.word == "by" || t.word == "from") return false;
      ++words;
    }
  }
  return false;
}

double rounded(double v) { return std::round(v * 1e6) / 1e6; }

double in_unit(double value, std::string_view from, std::string_view to) {
  auto seconds = [](std::string_view u) {
    if (u == "ms") return 0.001;
    if (u == "seconds") return 1.0;
    if (u == "minutes") return 60.0;
    if (u == "hours") return 3600.0;
    if (u == "days") return 86400.0;
    if (u == "weeks") return 7 * 86400.0;
    if (u == "months") return 30 * 86400.0;
    return 365 * 86400.0;
  };
  return rounded(value * seconds(from) / seconds(to));
}

std::string clean_text(std::string_view candidate) {
  std::string text = collapse_spaces(without_emoji(plain_quotes(candidate)));
  std::string_view view = trim(strip_list_marker(text));
  while (!view.empty() && (view.back() == '.' || view.back() == ',' || view.back() == ';' ||
                           view.back() == ':' || view.back() == '!')) {
    view.remove_suffix(1);
    view = trim(view);
  }
  return std::string(view);
}

}  // namespace

KeyResultDraft parse_key_result(std::string_view candidate) {
  KeyResultDraft draft;
  draft.text = clean_text(candidate);
  const std::string& text = draft.text;
  const std::vector<AnswerToken> tokens = tokenize_answer(text);

  const auto deadline = find_deadline(tokens);
  if (deadline) {
    const std::size_t b = tokens[deadline->first].begin;
    draft.deadline = text.substr(b, tokens[deadline->last - 1].end - b);
  }

  std::vector<Piece> pieces;
  std::vector<Reading> readings;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (deadline && i >= deadline->first && i < deadline->last) continue;
    const AnswerToken& t = tokens[i];
    if (t.kind == TokenKind::symbol && t.word.empty()) continue;  // emoji
    Piece piece{&t};
    if (t.kind == TokenKind::quantity) {
      piece.reading = readings.size();
      Reading reading;
      reading.token = &t;
      readings.push_back(reading);
    }
    pieces.push_back(piece);
  }

  Words words;
  for (const Piece& piece : pieces) words.push_back(vocabulary_word(*piece.token));
  auto word_of = [&words](const std::vector<Piece>&, std::size_t k) -> std::string_view {
    return k < words.size() ? std::string_view(words[k]) : std::string_view();
  };

  std::optional<double> multiplier;
  bool multiplier_word = false;
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    const std::string_view w = word_of(pieces, k);
    if (const double f = multiplier_of(w, word_of(pieces, previous_cue(pieces, k))); f > 0) {
      if (!multiplier) multiplier = f;
      multiplier_word = true;
    }
  }

  // Arrows pair the numbers on either side: "NPS 30 -> 45".
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    if (pieces[k].token->kind != TokenKind::arrow) continue;
    if (k > 0 && pieces[k - 1].reading < readings.size()) {
      Reading& left = readings[pieces[k - 1].reading];
      if (left.role == NumberRole::none) left.role = NumberRole::baseline;
    }
    const std::size_t r = next_cue(pieces, k);
    if (r < pieces.size() && pieces[r].reading < readings.size()) {
      Reading& right = readings[pieces[r].reading];
      right.role = NumberRole::target;
      right.strength = pair;
    }
  }

  for (std::size_t k = 0; k < pieces.size(); ++k) {
    if (pieces[k].reading >= readings.size()) continue;
    Reading& reading = readings[pieces[k].reading];
    if (reading.role != NumberRole::none) continue;
    if (reading.token->unit == "x") {
      if (!multiplier) multiplier = reading.token->value;
      reading.role = NumberRole::change;
      continue;
    }
    std::size_t p = previous_cue(pieces, k);
    std::string_view before = word_of(pieces, p);
    if (before == "+" || before == "-") {
      // "to +30", "from -10": the sign belongs to the number; the cue is the word before it.
      const std::string_view cue = word_of(pieces, previous_cue(pieces, p));
      if (cue == "to" || cue == "from" || cue == "->" || cue == "too" ||
          target_cue(cue, "").is_target || baseline_cue_before(cue)) {
        p = previous_cue(pieces, p);
        before = cue;
      }
    }
    if (before == "from" || baseline_cue_before(before)) {
      reading.role = NumberRole::baseline;
    } else if (before != "to" && !target_cue(before, "").is_target &&
               baseline_said_after(pieces, k)) {
      reading.role = NumberRole::baseline;
    } else if (before == "by" || before == "up" || before == "down") {
      // "by 20%", and "up 20%" / "down 25%", which say how much rather than where to.
      reading.role = NumberRole::change;
    } else if (before == "+") {
      reading.role = NumberRole::change;
      reading.plus_sign = true;
    } else if (before == "to" || before == "->" || before == "too") {  // "too": a common typo
      reading.role = NumberRole::target;
      reading.strength = cue;
      // "40 to 60%": the number right before "to" is where we start.
      if (p > 0 && p - 1 < pieces.size() && pieces[p - 1].reading < readings.size()) {
        Reading& start = readings[pieces[p - 1].reading];
        if (start.role == NumberRole::none) start.role = NumberRole::baseline;
        if (start.role == NumberRole::baseline) reading.strength = pair;
      }
    } else if (const auto cue_kind = target_cue(before, word_of(pieces, previous_cue(pieces, p)));
               cue_kind.is_target) {
      reading.role = NumberRole::target;
      reading.strength = cue_kind.threshold ? threshold : cue;
      reading.hint = cue_kind.hint;
    } else if (reading.token->unit == "%" && word_of(pieces, k + 1) == "of") {
      reading.role = NumberRole::target;
      reading.strength = share;
    }
  }

  // The strongest target and the first baseline win; the rest describe the metric itself.
  Reading* target = nullptr;
  Reading* baseline = nullptr;
  Reading* change = nullptr;
  for (Reading& r : readings) {
    if (r.role == NumberRole::target && (!target || r.strength > target->strength)) target = &r;
    if (r.role == NumberRole::baseline && !baseline) baseline = &r;
    if (r.role == NumberRole::change && r.token->unit != "x" && !change) change = &r;
  }

  const bool baseline_kind =
      establishes_baseline(words) && !baseline && (!target || target->strength < cue);

  if (!baseline_kind) {
    // No cue at all: the first plain number is what they aim for ("500 paying customers"),
    // except a bare percentage after a verb of change, which says how much ("grow teams 25%").
    if (!target && !change && !multiplier) {
      for (std::size_t k = 0; k < pieces.size(); ++k) {
        if (pieces[k].reading >= readings.size()) continue;
        Reading& r = readings[pieces[k].reading];
        if (r.role != NumberRole::none || (r.token->year_like && readings.size() > 1)) continue;
        Words before(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(k));
        if (r.token->unit == "%" && word_of(pieces, k + 1) != "of" && !baseline &&
            direction_in_words(before)) {
          r.role = NumberRole::change;
          change = &r;
        } else {
          r.role = NumberRole::target;
          target = &r;
        }
        break;
      }
    }
    // "NPS 30, goal 45" / "churn 5% (target 3%)": a number set apart before the target.
    if (target && !baseline) {
      for (std::size_t k = 0; k + 1 < pieces.size(); ++k) {
        if (pieces[k].reading >= readings.size()) continue;
        Reading& r = readings[pieces[k].reading];
        if (&r == target) break;
        const std::string_view next = word_of(pieces, k + 1);
        if (r.role == NumberRole::none && (next == "," || next == "(" || next == "now") &&
            (r.token->unit == target->token->unit || r.token->unit.empty())) {
          r.role = NumberRole::baseline;
          baseline = &r;
          break;
        }
      }
    }
  }

  draft.has_number = !readings.empty() || multiplier_word;

  // Units: the target's, else the baseline's; durations are brought to the target's unit.
  std::string unit = target ? target->token->unit : "";
  if (unit.empty() && baseline) unit = baseline->token->unit;
  if (unit == "x") unit.clear();
  if (baseline) {
    double b = baseline->token->value;
    const std::string& bu = baseline->token->unit;
    if (!bu.empty() && bu != unit && is_duration_unit(bu) && is_duration_unit(unit)) {
      b = in_unit(b, bu, unit);
    }
    draft.baseline = rounded(b);
  }
  if (target) draft.target = rounded(target->token->value);

  // Direction: the numbers when both ends are known, then the words, then the cue's hint.
  const std::optional<Direction> said = direction_in_words(words);
  if (draft.baseline && draft.target && *draft.baseline != *draft.target) {
    draft.direction = *draft.target < *draft.baseline ? Direction::decrease : Direction::increase;
  } else if (said) {
    draft.direction = *said;
  } else if (target && target->hint) {
    draft.direction = *target->hint;
  } else if (multiplier && *multiplier < 1) {
    draft.direction = Direction::decrease;
  } else if (draft.target && *draft.target == 0 && !draft.baseline) {
    draft.direction = Direction::decrease;  // "zero critical incidents": down to nothing
  }
  const double sign = draft.direction == Direction::decrease ? -1.0 : 1.0;

  if (change) {
    const std::string& cu = change->token->unit;
    if (cu == "%") {
      draft.relative_change = rounded(sign * change->token->value / 100.0);
    } else {
      draft.absolute_change = rounded(sign * change->token->value);
      if (unit.empty()) unit = cu;
    }
  } else if (multiplier) {
    double factor = *multiplier;
    if (draft.direction == Direction::decrease && factor > 1) factor = 1.0 / factor;
    draft.relative_change = rounded(factor - 1.0);
  }
  if (unit == "pp") unit = "%";
  // Net Promoter Score moves in points; saying so keeps "NPS 30 -> 45" from reading as a count.
  if (unit.empty() && (draft.baseline || draft.target || draft.absolute_change) &&
      (std::find(words.begin(), words.end(), "nps") != words.end() ||
       std::find(words.begin(), words.end(), "enps") != words.end())) {
    unit = "points";
  }
  draft.unit = unit;
  if (draft.baseline && !draft.target) {
    if (draft.relative_change) {
      draft.target = rounded(*draft.baseline * (1.0 + *draft.relative_change));
    } else if (draft.absolute_change) {
      draft.target = rounded(*draft.baseline + *draft.absolute_change);
    }
  }

  if (baseline_kind) {
    draft.kind = KeyResultKind::baseline;
  } else if (is_milestone(words)) {
    draft.kind = KeyResultKind::milestone;
  }
  return draft;
}

}  // namespace okr::dialogs
