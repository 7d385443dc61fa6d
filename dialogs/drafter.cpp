// parse_key_result: one key-result candidate -> kind, baseline -> target, unit, direction,
// deadline. Reads tokens, not regular expressions, so that cues like "from", "to", "by",
// "currently" can be weighed against each other. Cases live in tests/golden/drafter_corpus.json.
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
  if (t.kind != TokenKind::word)
    return false;
  static constexpr std::array<std::string_view, 24> fillers{
      "at",  "about", "around", "roughly", "approx", "approximately", "circa", "ca",
      "is",  "are",   "of",     "only",    "just",   "the",           "a",     "an",
      "our", "its",   "nearly", "almost",  "be",     "stay",          "stays", "remain"};
  for (const auto f : fillers) {
    if (t.word == f)
      return true;
  }
  return false;
}

constexpr std::size_t nowhere = static_cast<std::size_t>(-1);

// The candidate as the number-reading steps below see it: the tokens outside the deadline,
// the quantities among them, and the same sequence as vocabulary words.
struct Candidate {
  std::vector<Piece> pieces;
  std::vector<Reading> readings;  // never grows after read_candidate, so pointers stay valid
  Words words;

  std::string_view word(std::size_t k) const {
    return k < words.size() ? std::string_view(words[k]) : std::string_view();
  }
  Reading* reading_at(std::size_t k) {
    return k < pieces.size() && pieces[k].reading < readings.size() ? &readings[pieces[k].reading]
                                                                    : nullptr;
  }
  // The nearest meaningful piece before / after k, skipping fillers ("at", "the", "(").
  std::size_t previous(std::size_t k) const {
    if (k > pieces.size())
      return nowhere;
    while (k > 0) {
      --k;
      if (!filler(*pieces[k].token))
        return k;
    }
    return nowhere;
  }
  std::size_t next(std::size_t k) const {
    for (++k; k < pieces.size(); ++k) {
      const AnswerToken& t = *pieces[k].token;
      if (!filler(t) && !(t.kind == TokenKind::symbol && t.word == ")"))
        return k;
    }
    return nowhere;
  }
};

// The candidate as the vocabulary in key_result_words.hpp reads it.
std::string vocabulary_word(const AnswerToken& t) {
  if (t.kind == TokenKind::quantity)
    return "#" + t.unit;
  if (t.kind == TokenKind::date)
    return "#date";
  return t.word;
}

Candidate read_candidate(const std::vector<AnswerToken>& tokens,
                         const std::optional<DeadlineSpan>& deadline) {
  Candidate c;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (deadline && i >= deadline->first && i < deadline->last)
      continue;
    const AnswerToken& t = tokens[i];
    if (t.kind == TokenKind::symbol && t.word.empty())
      continue;  // emoji
    Piece piece{&t};
    if (t.kind == TokenKind::quantity) {
      piece.reading = c.readings.size();
      Reading reading;
      reading.token = &t;
      c.readings.push_back(reading);
    }
    c.pieces.push_back(piece);
    c.words.push_back(vocabulary_word(t));
  }
  return c;
}

// "120 now", "2 per week today", "30 (today)": a few words on, before the next number or comma.
bool baseline_said_after(const Candidate& c, std::size_t k) {
  for (std::size_t j = k + 1, words = 0; j < c.pieces.size() && words < 4; ++j) {
    const AnswerToken& t = *c.pieces[j].token;
    if (t.kind == TokenKind::quantity || t.kind == TokenKind::arrow)
      return false;
    if (t.kind == TokenKind::symbol && t.word != "(" && t.word != ")")
      return false;
    if (t.kind == TokenKind::word) {
      if (baseline_cue_after(t.word))
        return true;
      if (t.word == "to" || t.word == "by" || t.word == "from")
        return false;
      ++words;
    }
  }
  return false;
}

// "double", "in half", "3x": the first multiplier said, if any.
struct Multiplier {
  std::optional<double> factor;
  bool in_words = false;
};

Multiplier find_multiplier(const Candidate& c) {
  Multiplier m;
  for (std::size_t k = 0; k < c.pieces.size(); ++k) {
    if (const double f = multiplier_of(c.word(k), c.word(c.previous(k))); f > 0) {
      if (!m.factor)
        m.factor = f;
      m.in_words = true;
    }
  }
  for (const Reading& r : c.readings) {
    if (r.token->unit == "x" && !m.factor)
      m.factor = r.token->value;
  }
  return m;
}

// Arrows pair the numbers on either side: "NPS 30 -> 45", "95% uptime -> 99.9% uptime".
void read_arrows(Candidate& c) {
  for (std::size_t k = 0; k < c.pieces.size(); ++k) {
    if (c.pieces[k].token->kind != TokenKind::arrow)
      continue;
    // The nearest number before the arrow, a few words back at most, with no other arrow or
    // number in between.
    for (std::size_t back = 1; back <= 3 && back <= k; ++back) {
      const TokenKind kind = c.pieces[k - back].token->kind;
      if (kind == TokenKind::arrow)
        break;
      if (Reading* left = c.reading_at(k - back)) {
        if (left->role == NumberRole::none)
          left->role = NumberRole::baseline;
        break;
      }
    }
    if (Reading* right = c.reading_at(c.next(k))) {
      right->role = NumberRole::target;
      right->strength = pair;
    }
  }
}

// Each number by the words around it: "from 40", "to 60", "by 20%", "below 3%", "90% of".
void read_cues(Candidate& c) {
  for (std::size_t k = 0; k < c.pieces.size(); ++k) {
    Reading* reading = c.reading_at(k);
    if (!reading || reading->role != NumberRole::none)
      continue;
    if (reading->token->unit == "x") {
      reading->role = NumberRole::change;
      continue;
    }
    std::size_t p = c.previous(k);
    std::string_view before = c.word(p);
    if (before == "+" || before == "-") {
      // "to +30", "from -10": the sign belongs to the number; the cue is the word before it.
      const std::string_view cue = c.word(c.previous(p));
      if (cue == "to" || cue == "from" || cue == "->" || cue == "too" ||
          target_cue(cue, "").is_target || baseline_cue_before(cue)) {
        p = c.previous(p);
        before = cue;
      }
    }
    if (before == "from" || baseline_cue_before(before)) {
      reading->role = NumberRole::baseline;
    } else if (before != "to" && !target_cue(before, "").is_target && baseline_said_after(c, k)) {
      reading->role = NumberRole::baseline;
    } else if (before == "by" || before == "up" || before == "down" || before == "+") {
      // "by 20%", "up 20%", "+15": how much, rather than where to.
      reading->role = NumberRole::change;
    } else if (before == "to" || before == "->" || before == "too") {  // "too": a common typo
      reading->role = NumberRole::target;
      reading->strength = cue;
      // "40 to 60%": the number right before "to" is where we start.
      if (Reading* start = p > 0 ? c.reading_at(p - 1) : nullptr) {
        if (start->role == NumberRole::none)
          start->role = NumberRole::baseline;
        if (start->role == NumberRole::baseline)
          reading->strength = pair;
      }
    } else if (const TargetCue bound = target_cue(before, c.word(c.previous(p))); bound.is_target) {
      reading->role = NumberRole::target;
      reading->strength = bound.threshold ? threshold : cue;
      reading->hint = bound.hint;
    } else if (reading->token->unit == "%" && c.word(k + 1) == "of") {
      reading->role = NumberRole::target;
      reading->strength = share;
    }
  }
}

struct Picked {
  Reading* target = nullptr;
  Reading* baseline = nullptr;
  Reading* change = nullptr;
};

// The strongest target and the first baseline win; the rest describe the metric itself.
Picked pick(Candidate& c) {
  Picked p;
  for (Reading& r : c.readings) {
    if (r.role == NumberRole::target && (!p.target || r.strength > p.target->strength)) {
      p.target = &r;
    }
    if (r.role == NumberRole::baseline && !p.baseline)
      p.baseline = &r;
    if (r.role == NumberRole::change && r.token->unit != "x" && !p.change)
      p.change = &r;
  }
  return p;
}

// Numbers no cue explained: the first plain one is the aim ("500 paying customers"), except a
// bare percentage after a verb of change, which says how much ("grow teams 25%"); and a number
// set apart before the target is where things stand ("NPS 30, goal 45").
void read_uncued(Candidate& c, Picked& p, bool has_multiplier) {
  if (!p.target && !p.change && !has_multiplier) {
    for (std::size_t k = 0; k < c.pieces.size(); ++k) {
      Reading* r = c.reading_at(k);
      if (!r || r->role != NumberRole::none)
        continue;
      if (r->token->year_like && c.readings.size() > 1)
        continue;
      const Words before(c.words.begin(), c.words.begin() + static_cast<std::ptrdiff_t>(k));
      if (r->token->unit == "%" && c.word(k + 1) != "of" && !p.baseline &&
          direction_in_words(before)) {
        r->role = NumberRole::change;
        p.change = r;
      } else {
        r->role = NumberRole::target;
        p.target = r;
      }
      break;
    }
  }
  if (p.target && !p.baseline) {
    for (std::size_t k = 0; k + 1 < c.pieces.size(); ++k) {
      Reading* r = c.reading_at(k);
      if (!r)
        continue;
      if (r == p.target)
        break;
      const std::string_view next = c.word(k + 1);
      if (r->role == NumberRole::none && (next == "," || next == "(" || next == "now") &&
          (r->token->unit == p.target->token->unit || r->token->unit.empty())) {
        r->role = NumberRole::baseline;
        p.baseline = r;
        break;
      }
    }
  }
}

double rounded(double v) {
  return std::round(v * 1e6) / 1e6;
}

double in_unit(double value, std::string_view from, std::string_view to) {
  auto seconds = [](std::string_view u) {
    if (u == "ms")
      return 0.001;
    if (u == "seconds")
      return 1.0;
    if (u == "minutes")
      return 60.0;
    if (u == "hours")
      return 3600.0;
    if (u == "days")
      return 86400.0;
    if (u == "weeks")
      return 7 * 86400.0;
    if (u == "months")
      return 30 * 86400.0;
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

  Candidate c = read_candidate(tokens, deadline);
  const Multiplier multiplier = find_multiplier(c);
  read_arrows(c);
  read_cues(c);
  Picked picked = pick(c);
  const bool baseline_kind = establishes_baseline(c.words) && !picked.baseline &&
                             (!picked.target || picked.target->strength < cue);
  if (!baseline_kind)
    read_uncued(c, picked, multiplier.factor.has_value());

  draft.has_number = !c.readings.empty() || multiplier.in_words;

  // Units: the target's, else the baseline's; durations are brought to the target's unit.
  std::string unit = picked.target ? picked.target->token->unit : "";
  if (unit.empty() && picked.baseline)
    unit = picked.baseline->token->unit;
  if (unit == "x")
    unit.clear();
  if (picked.baseline) {
    double b = picked.baseline->token->value;
    const std::string& bu = picked.baseline->token->unit;
    if (!bu.empty() && bu != unit && is_duration_unit(bu) && is_duration_unit(unit)) {
      b = in_unit(b, bu, unit);
    }
    draft.baseline = rounded(b);
  }
  if (picked.target)
    draft.target = rounded(picked.target->token->value);

  // Direction: the numbers when both ends are known, then the words, then the cue's hint.
  const std::optional<Direction> said = direction_in_words(c.words);
  if (draft.baseline && draft.target && *draft.baseline != *draft.target) {
    draft.direction = *draft.target < *draft.baseline ? Direction::decrease : Direction::increase;
  } else if (said) {
    draft.direction = *said;
  } else if (picked.target && picked.target->hint) {
    draft.direction = *picked.target->hint;
  } else if (multiplier.factor && *multiplier.factor < 1) {
    draft.direction = Direction::decrease;
  } else if (draft.target && *draft.target == 0 && !draft.baseline) {
    draft.direction = Direction::decrease;  // "zero critical incidents": down to nothing
  }
  const double sign = draft.direction == Direction::decrease ? -1.0 : 1.0;

  if (picked.change) {
    const std::string& cu = picked.change->token->unit;
    if (cu == "%") {
      draft.relative_change = rounded(sign * picked.change->token->value / 100.0);
    } else {
      draft.absolute_change = rounded(sign * picked.change->token->value);
      if (unit.empty())
        unit = cu;
    }
  } else if (multiplier.factor) {
    double factor = *multiplier.factor;
    if (draft.direction == Direction::decrease && factor > 1)
      factor = 1.0 / factor;
    draft.relative_change = rounded(factor - 1.0);
  }
  if (unit == "pp")
    unit = "%";
  // Net Promoter Score moves in points; saying so keeps "NPS 30 -> 45" from reading as a count.
  if (unit.empty() && (draft.baseline || draft.target || draft.absolute_change) &&
      (std::find(c.words.begin(), c.words.end(), "nps") != c.words.end() ||
       std::find(c.words.begin(), c.words.end(), "enps") != c.words.end())) {
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
  } else if (is_milestone(c.words)) {
    draft.kind = KeyResultKind::milestone;
  }
  return draft;
}

KeyResultDraft with_baseline(KeyResultDraft draft, double baseline) {
  draft.baseline = rounded(baseline);
  if (!draft.target) {
    if (draft.relative_change) {
      draft.target = rounded(baseline * (1.0 + *draft.relative_change));
    } else if (draft.absolute_change) {
      draft.target = rounded(baseline + *draft.absolute_change);
    }
  }
  if (draft.target && *draft.target != baseline) {
    draft.direction = *draft.target < baseline ? Direction::decrease : Direction::increase;
  }
  draft.has_number = true;
  return draft;
}

std::optional<double> amount_in_answer(std::string_view answer) {
  const std::vector<AnswerToken> tokens = tokenize_answer(answer);
  for (const AnswerToken& t : tokens) {
    if (t.kind == TokenKind::quantity && !(t.year_like && tokens.size() > 1))
      return t.value;
  }
  return std::nullopt;
}

}  // namespace okr::dialogs
