// split_key_result_candidates: one "how will you know?" answer -> candidate key results.
// Lines, bullets and numbering always separate; semicolons too; "and", commas and sentence ends
// only when both sides can be measured on their own, so "sales and marketing leads up 20%"
// stays one key result while "NPS to 45 and churn below 3%" becomes two.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "dialogs/drafter.hpp"
#include "dialogs/key_result_words.hpp"
#include "dialogs/words.hpp"

namespace okr::dialogs {
namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}

bool has_digit(std::string_view s) {
  for (const char c : s) {
    if (digit(c))
      return true;
  }
  return false;
}

std::size_t word_count(std::string_view s) {
  std::size_t n = 0;
  bool in_word = false;
  for (const char c : s) {
    const bool space = c == ' ';
    if (!space && !in_word)
      ++n;
    in_word = !space;
  }
  return n;
}

bool measurable(const KeyResultDraft& d) {
  return d.has_number || (d.kind != KeyResultKind::metric && word_count(d.text) >= 2);
}

// "2 per week today, 10 per week by June": a starting point and an aim for the same thing.
bool completes(const KeyResultDraft& left, const KeyResultDraft& right) {
  auto start_only = [](const KeyResultDraft& d) {
    return d.baseline && !d.target && !d.relative_change && !d.absolute_change;
  };
  auto aim_only = [](const KeyResultDraft& d) { return d.target && !d.baseline; };
  return (start_only(left) && aim_only(right)) || (aim_only(left) && start_only(right));
}

// A clause that leans on the one before it ("to 3%", "which is 5% today", "up from 30").
bool leans_on_previous(std::string_view clause) {
  static constexpr std::array<std::string_view, 54> joiners{
      "want",    "aiming",   "hoping",  "hopefully",  "it's",     "we're",     "that's",
      "which's", "to",       "from",    "by",         "up",       "down",      "which",
      "that",    "who",      "whose",   "currently",  "current",  "now",       "today",
      "so",      "e.g",      "i.e",     "eg",         "ie",       "including", "incl",
      "with",    "while",    "than",    "per",        "each",     "or",        "versus",
      "vs",      "compared", "where",   "when",       "because",  "as",        "target",
      "goal",    "aim",      "ideally", "stretch",    "baseline", "was",       "is",
      "it",      "mainly",   "mostly",  "especially", "but"};
  const std::string lower = lower_ascii(trim(clause));
  std::size_t end = 0;
  while (end < lower.size() && lower[end] != ' ' && lower[end] != ',' && lower[end] != ':')
    ++end;
  std::string first = lower.substr(0, end);
  while (!first.empty() && first.back() == '.')
    first.pop_back();
  for (const auto j : joiners) {
    if (first == j)
      return true;
  }
  static constexpr std::array<std::string_view, 8> time_words{"for",    "of",    "in",    "within",
                                                              "before", "after", "until", "via"};
  for (const auto j : time_words) {
    if (first == j)
      return true;
  }
  return false;
}

// A line break is a strong separator: only a line that plainly continues the previous one
// ("(currently $70k)", "baseline: 40%", "target 60%") joins it.
bool adds_to_previous_line(std::string_view text) {
  if (text.front() == '(')
    return true;
  static constexpr std::array<std::string_view, 12> continuations{
      "currently", "current", "today",  "baseline", "target",  "goal",
      "was",       "vs",      "versus", "ideally",  "stretch", "i.e"};
  const std::string lower = lower_ascii(text);
  std::size_t end = 0;
  while (end < lower.size() && lower[end] != ' ' && lower[end] != ',' && lower[end] != ':')
    ++end;
  const std::string_view first = std::string_view(lower).substr(0, end);
  for (const auto c : continuations) {
    // "Baseline for churn established" is a key result of its own; "baseline: 40%" is not.
    if (first == c)
      return parse_key_result(text).has_number;
  }
  return false;
}

bool ends_with_abbreviation(std::string_view before) {
  const std::string lower = lower_ascii(before);
  static constexpr std::array<std::string_view, 8> abbreviations{" e.g",    " i.e",  " etc", " vs",
                                                                 " approx", " incl", " ca",  " no"};
  for (const auto a : abbreviations) {
    if (lower.ends_with(a))
      return true;
  }
  return false;
}

struct Cut {
  std::size_t at;
  std::size_t length;
  bool is_and;
};

std::vector<Cut> possible_cuts(std::string_view line) {
  static constexpr std::array<std::string_view, 10> joins{
      ", and ", ", plus ", ", & ", " and ", " & ", " plus ", " as well as ", ", ", " + ", " / "};
  const std::string lower = lower_ascii(line);
  std::vector<Cut> cuts;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    bool found = false;
    for (const auto j : joins) {
      if (std::string_view(lower).substr(i).starts_with(j)) {
        cuts.push_back({i, j.size(), j.find("and") != std::string_view::npos});
        i += j.size() - 1;
        found = true;
        break;
      }
    }
    if (found)
      continue;
    const char c = lower[i];
    if ((c == '.' || c == '!' || c == '?') && i + 1 < lower.size() && lower[i + 1] == ' ' &&
        i > 0 && !ends_with_abbreviation(std::string_view(lower).substr(0, i))) {
      cuts.push_back({i, 2, false});
      ++i;
    }
  }
  return cuts;
}

std::vector<std::string> split_clauses(std::string_view part) {
  const std::vector<Cut> cuts = possible_cuts(part);
  std::vector<std::string> out;
  std::string current;
  // Tracked as segments join, so a long answer with many commas stays linear: a clause is
  // measurable when any of its segments is, and "between" only matters for the next "and".
  bool current_measurable = false;
  bool current_has_between = false;
  std::size_t start = 0;
  auto flush = [&](std::string_view piece) {
    const std::string_view t = trim(piece);
    if (!t.empty())
      out.emplace_back(t);
  };
  auto has_between = [](std::string_view text) {
    return lower_ascii(text).find("between ") != std::string::npos;
  };
  for (std::size_t c = 0; c <= cuts.size(); ++c) {
    const std::size_t end = c < cuts.size() ? cuts[c].at : part.size();
    const std::string_view segment = trim(part.substr(start, end - start));
    const KeyResultDraft right = parse_key_result(segment);
    const bool right_measurable = !segment.empty() && measurable(right);
    if (current.empty()) {
      current = std::string(segment);
      current_measurable = right_measurable;
      current_has_between = has_between(segment);
    } else {
      const Cut& joint = cuts[c - 1];
      const bool inside_range = joint.is_and && current_has_between;
      const bool split = right_measurable && current_measurable && !inside_range &&
                         !leans_on_previous(segment) &&
                         !completes(parse_key_result(current), right);
      if (split) {
        flush(current);
        current = std::string(segment);
        current_measurable = right_measurable;
        current_has_between = has_between(segment);
      } else {
        current += std::string(part.substr(joint.at, joint.length)) + std::string(segment);
        current_measurable = current_measurable || right_measurable;
        current_has_between = current_has_between || has_between(segment);
      }
    }
    if (c < cuts.size())
      start = cuts[c].at + cuts[c].length;
  }
  flush(current);
  return out;
}

// "1) NPS to 45 2) churn below 3%": numbering written inline on one line.
std::vector<std::string> split_inline_numbering(std::string_view line, bool started_numbered,
                                                char style) {
  std::vector<std::string> out;
  int expected = started_numbered ? 2 : 1;
  std::size_t start = 0;
  std::size_t i = 0;
  while (i < line.size()) {
    const std::string marker = std::to_string(expected) + style;
    const std::string paren = "(" + std::to_string(expected) + ")";
    const bool at_start = i == 0 || line[i - 1] == ' ' || line[i - 1] == ',' ||
                          line[i - 1] == ';' || line[i - 1] == ':';
    std::size_t len = 0;
    if (at_start && line.substr(i).starts_with(marker))
      len = marker.size();
    if (at_start && line.substr(i).starts_with(paren))
      len = paren.size();
    if (len > 0 && (i + len == line.size() || line[i + len] == ' ') &&
        (style != '.' || started_numbered)) {
      std::string before(trim(line.substr(start, i - start)));
      while (!before.empty() && (before.back() == ',' || before.back() == ';'))
        before.pop_back();
      if (!trim(before).empty())
        out.emplace_back(trim(before));
      start = i + len;
      i = start;
      ++expected;
      continue;
    }
    ++i;
  }
  const std::string_view rest = trim(line.substr(start));
  if (!rest.empty())
    out.emplace_back(rest);
  return out;
}

std::vector<std::string> lines_of(std::string_view answer) {
  std::string text = plain_quotes(answer);
  // Inline bullets ("NPS 45 • churn 3%") separate like line breaks do.
  std::string unified;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (std::string_view(text).substr(i).starts_with("\xE2\x80\xA2")) {
      unified += '\n';
      i += 2;
    } else if (text[i] == '\r') {
      unified += '\n';
    } else {
      unified += text[i];
    }
  }
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= unified.size(); ++i) {
    if (i == unified.size() || unified[i] == '\n') {
      lines.push_back(unified.substr(start, i - start));
      start = i + 1;
    }
  }
  return lines;
}

}  // namespace

std::vector<std::string> split_key_result_candidates(std::string_view answer) {
  std::vector<std::string> candidates;
  for (const std::string& raw : lines_of(answer)) {
    std::string_view line = trim(raw);
    line = strip_answer_lead_in(line);
    const std::string_view unmarked = strip_list_marker(line);
    const bool numbered_paren = line.starts_with("1)") || line.starts_with("(1)");
    const bool numbered_dot = line.starts_with("1.") && !unmarked.starts_with("1.");
    line = unmarked;
    if (line.empty())
      continue;
    // "Here is how we'll know:" introduces the list; it is not one of its items.
    if (line.back() == ':' && !has_digit(line))
      continue;
    std::vector<std::string> numbered =
        split_inline_numbering(line, numbered_paren || numbered_dot, numbered_dot ? '.' : ')');
    for (const std::string& item : numbered) {
      if (item.back() == ':' && !has_digit(item))
        continue;
      std::string_view rest = item;
      for (;;) {
        const std::size_t semi = rest.find(';');
        const std::string_view part = trim(rest.substr(0, semi));
        if (!part.empty()) {
          for (std::string& clause : split_clauses(part)) {
            const KeyResultDraft d = parse_key_result(clause);
            if (d.text.empty())
              continue;
            // A line that only adds to the one before ("  - (currently $70k)") joins it.
            if (!candidates.empty() && adds_to_previous_line(d.text)) {
              candidates.back() += " " + d.text;
            } else {
              candidates.push_back(d.text);
            }
          }
        }
        if (semi == std::string_view::npos)
          break;
        rest = rest.substr(semi + 1);
      }
    }
  }
  return candidates;
}

}  // namespace okr::dialogs
