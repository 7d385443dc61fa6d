// objective_from_answer: "What do you want?" -> the objective in the person's own words, with
// the framing ("I want to", "our goal is to") and the clutter (emoji, trailing punctuation)
// taken away. Typos in the framing are tolerated; the person's content is never rewritten.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "dialogs/drafter.hpp"
#include "dialogs/words.hpp"

namespace okr::dialogs {
namespace {

// Longer than this and the objective stops reading as one line on a card; we keep the first
// sentences that fit, so the person still sees their own words and can edit them.
constexpr std::size_t objective_limit = 160;

// Optimal string alignment distance, enough to forgive "wnat", "woudl", "lke".
std::size_t typo_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

bool same_word(std::string_view typed, std::string_view expected) {
  if (typed == expected)
    return true;
  return expected.size() >= 4 && typed.size() >= 3 && typo_distance(typed, expected) <= 1;
}

struct Word {
  std::string lower;  // without surrounding punctuation
  std::size_t end;    // byte offset just past the word in the text
};

std::vector<Word> leading_words(std::string_view text, std::size_t count) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (words.size() < count && i < text.size()) {
    while (i < text.size() && text[i] == ' ')
      ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ')
      ++i;
    std::string w = lower_ascii(text.substr(start, i - start));
    while (!w.empty() && (w.back() == ',' || w.back() == ':' || w.back() == '.'))
      w.pop_back();
    if (!w.empty())
      words.push_back({w, i});
  }
  return words;
}

// Framing phrases, longest first so "I want to" wins over "I want".
constexpr std::array<std::string_view, 54> framings{"i would really like to",
                                                    "we would really like to",
                                                    "what i want is to",
                                                    "what we want is to",
                                                    "i would like us to",
                                                    "i would like to",
                                                    "we would like to",
                                                    "i would love to",
                                                    "we would love to",
                                                    "i'd really like to",
                                                    "we'd really like to",
                                                    "i'd like us to",
                                                    "i'd like to",
                                                    "id like to",
                                                    "we'd like to",
                                                    "i'd love to",
                                                    "we'd love to",
                                                    "i really want to",
                                                    "we really want to",
                                                    "i want us to",
                                                    "i want to",
                                                    "we want to",
                                                    "our goal is to",
                                                    "my goal is to",
                                                    "the goal is to",
                                                    "our objective is to",
                                                    "my objective is to",
                                                    "our goal is",
                                                    "my goal is",
                                                    "i am aiming to",
                                                    "i'm aiming to",
                                                    "we are aiming to",
                                                    "we're aiming to",
                                                    "i am going to",
                                                    "i'm going to",
                                                    "we are going to",
                                                    "we're going to",
                                                    "i plan to",
                                                    "we plan to",
                                                    "i hope to",
                                                    "we hope to",
                                                    "i aim to",
                                                    "we aim to",
                                                    "we need to",
                                                    "i need to",
                                                    "i wanna",
                                                    "we wanna",
                                                    "i want",
                                                    "we want",
                                                    "we will",
                                                    "i will",
                                                    "we'll",
                                                    "would like to",
                                                    "want to"};

// Labels and time framings that may precede the framing ("Goal: ...", "This quarter, I want").
constexpr std::array<std::string_view, 9> labels{
    "objective:", "goal:",        "o:",    "obj:",    "this quarter",
    "this cycle", "next quarter", "in q1", "honestly"};

std::string_view drop_framing(std::string_view text, bool& dropped) {
  dropped = false;
  const std::vector<Word> words = leading_words(text, 6);
  for (const auto framing : framings) {
    const std::vector<Word> expected = leading_words(framing, 6);
    if (expected.size() > words.size())
      continue;
    bool match = true;
    for (std::size_t i = 0; i < expected.size() && match; ++i) {
      match = same_word(words[i].lower, expected[i].lower);
    }
    if (match) {
      dropped = true;
      return trim(text.substr(words[expected.size() - 1].end));
    }
  }
  return text;
}

std::string_view drop_label(std::string_view text) {
  const std::string lower = lower_ascii(text);
  for (const auto label : labels) {
    if (lower.starts_with(label)) {
      std::string_view rest = trim(text.substr(label.size()));
      while (!rest.empty() && (rest.front() == ',' || rest.front() == ':' || rest.front() == '-')) {
        rest = trim(rest.substr(1));
      }
      bool dropped = false;
      // Time framings only go when a framing follows: "This quarter is about trust" stays.
      if (label.back() == ':' || (drop_framing(rest, dropped), dropped))
        return rest;
    }
  }
  return text;
}

bool trailing_clutter(char c) {
  return c == '.' || c == '!' || c == '?' || c == ',' || c == ';' || c == ':' || c == ' ' ||
         c == '-' || c == '~' || c == '*';
}

std::string cap_length(std::string_view text) {
  if (text.size() <= objective_limit)
    return std::string(text);
  // The last sentence end that fits.
  std::size_t best = std::string_view::npos;
  for (std::size_t i = 20; i < objective_limit && i < text.size(); ++i) {
    if ((text[i] == '.' || text[i] == '!' || text[i] == '?') && i + 1 < text.size() &&
        text[i + 1] == ' ') {
      best = i;
    }
  }
  if (best != std::string_view::npos)
    return std::string(text.substr(0, best));
  // Otherwise a clause boundary, else a word boundary, marked as cut.
  for (const auto mark : {std::string_view(", "), std::string_view("; "), std::string_view(" - "),
                          std::string_view(" \xE2\x80\x94 ")}) {
    const std::size_t at = text.rfind(mark, objective_limit);
    if (at != std::string_view::npos && at >= 60) {
      return std::string(trim(text.substr(0, at))) + "\xE2\x80\xA6";
    }
  }
  return shorten(text, objective_limit);
}

}  // namespace

std::string objective_from_answer(std::string_view answer) {
  std::string cleaned = collapse_spaces(without_emoji(plain_quotes(answer)));
  cleaned.erase(std::remove(cleaned.begin(), cleaned.end(), '*'), cleaned.end());
  std::string_view text = trim(cleaned);
  while (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = trim(text.substr(1, text.size() - 2));
  }
  for (int round = 0; round < 3; ++round) {
    const std::string_view before = text;
    text = drop_label(text);
    bool dropped = false;
    text = drop_framing(text, dropped);
    // "I want to..." and nothing else: keep what they said rather than return nothing.
    if (trim(text).find_first_not_of(".!?,;:-~ ") == std::string_view::npos) {
      text = before;
      break;
    }
    if (!dropped)
      break;
  }
  while (!text.empty() && (text.front() == ',' || text.front() == ':' || text.front() == '-' ||
                           text.front() == '"')) {
    text = trim(text.substr(1));
  }
  if (lower_ascii(text.substr(0, 3)) == "to ")
    text = trim(text.substr(3));

  std::string objective = cap_length(text);
  for (bool trimmed = true; trimmed;) {
    trimmed = false;
    while (!objective.empty() && trailing_clutter(objective.back()))
      objective.pop_back();
    // Text emoticons are clutter too: ":)", ":-)", ";)", ":D", "xD".
    for (const auto face : {":-)", ":)", ";)", ":D", ":P", "xD", "XD", "<3", ":-D", "^^"}) {
      const std::string_view f(face);
      if (objective.size() > f.size() && std::string_view(objective).ends_with(f) &&
          objective[objective.size() - f.size() - 1] == ' ') {
        objective.resize(objective.size() - f.size());
        trimmed = true;
      }
    }
  }
  while (!objective.empty() && objective.back() == '"' &&
         std::count(objective.begin(), objective.end(), '"') % 2 == 1) {
    objective.pop_back();
  }
  if (!objective.empty() && objective[0] >= 'a' && objective[0] <= 'z') {
    objective[0] = static_cast<char>(objective[0] - 'a' + 'A');
  }
  return objective;
}

}  // namespace okr::dialogs
