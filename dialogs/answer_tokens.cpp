#include "dialogs/answer_tokens.hpp"

#include <array>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <utility>

#include "dialogs/words.hpp"

namespace okr::dialogs {
namespace {

unsigned char at(std::string_view s, std::size_t i) {
  return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}
bool digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool ascii_alpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// Lead bytes of letters outside ASCII (accents, Greek, Cyrillic, CJK …). E2 (punctuation,
// arrows, the euro sign), EF (variation selectors) and F0 (emoji) are symbols, not letters.
bool letter_lead(unsigned char c) {
  return (c >= 0xC3 && c <= 0xDF) || c == 0xE0 || c == 0xE1 || (c >= 0xE3 && c <= 0xED);
}
std::size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0)
    return 4;
  if (lead >= 0xE0)
    return 3;
  if (lead >= 0xC0)
    return 2;
  return 1;
}
bool starts_at(std::string_view s, std::size_t i, std::string_view lit) {
  return i <= s.size() && s.substr(i).starts_with(lit);
}
std::size_t skip_blanks(std::string_view s, std::size_t i) {
  while (at(s, i) == ' ' || at(s, i) == '\t')
    ++i;
  return i;
}
std::string ascii_word(std::string_view s, std::size_t i, std::size_t& end) {
  end = i;
  while (ascii_alpha(at(s, end)))
    ++end;
  return lower_ascii(s.substr(i, end - i));
}

std::optional<std::pair<std::string, std::size_t>> currency_symbol(std::string_view s,
                                                                   std::size_t i) {
  if (at(s, i) == '$')
    return std::pair<std::string, std::size_t>{"USD", 1};
  if (starts_at(s, i, "\xE2\x82\xAC"))
    return std::pair<std::string, std::size_t>{"EUR", 3};
  if (starts_at(s, i, "\xC2\xA3"))
    return std::pair<std::string, std::size_t>{"GBP", 2};
  return std::nullopt;
}

std::size_t arrow_length(std::string_view s, std::size_t i) {
  static constexpr std::array<std::string_view, 9> arrows{
      "-->",          "->",           "=>",           "\xE2\x86\x92", "\xE2\x9F\xB6",
      "\xE2\x9E\xA1", "\xE2\x87\x92", "\xE2\x9E\x94", "\xE2\x9E\x9C"};
  for (const auto a : arrows) {
    if (starts_at(s, i, a)) {
      std::size_t len = a.size();
      if (starts_at(s, i + len, "\xEF\xB8\x8F"))
        len += 3;
      return len;
    }
  }
  return 0;
}

// Scale words and units written after a number ("50 k", "2 million", "3 weeks", "20 percent").
double scale_of(std::string_view w) {
  if (w == "k" || w == "thousand" || w == "thousands")
    return 1e3;
  if (w == "million" || w == "millions" || w == "mn" || w == "mio" || w == "mm")
    return 1e6;
  if (w == "billion" || w == "billions" || w == "bn")
    return 1e9;
  return 0;
}

std::string unit_of(std::string_view w) {
  static constexpr std::array<std::string_view, 4> percent{"percent", "pct", "procent", "perc"};
  static constexpr std::array<std::string_view, 3> pp{"pp", "ppt", "ppts"};
  static constexpr std::array<std::string_view, 5> points{"points", "point", "pts", "pt", "nps"};
  static constexpr std::array<std::string_view, 4> usd{"usd", "dollars", "dollar", "bucks"};
  static constexpr std::array<std::string_view, 3> eur{"eur", "euro", "euros"};
  static constexpr std::array<std::string_view, 3> gbp{"gbp", "pounds", "quid"};
  static constexpr std::array<std::string_view, 3> ms{"ms", "millisecond", "milliseconds"};
  static constexpr std::array<std::string_view, 4> seconds{"sec", "secs", "second", "seconds"};
  static constexpr std::array<std::string_view, 4> minutes{"min", "mins", "minute", "minutes"};
  static constexpr std::array<std::string_view, 5> hours{"h", "hr", "hrs", "hour", "hours"};
  static constexpr std::array<std::string_view, 3> days{"d", "day", "days"};
  static constexpr std::array<std::string_view, 5> weeks{"w", "wk", "wks", "week", "weeks"};
  static constexpr std::array<std::string_view, 4> months{"mo", "mos", "month", "months"};
  static constexpr std::array<std::string_view, 4> years{"yr", "yrs", "year", "years"};
  if (one_of(w, percent))
    return "%";
  if (one_of(w, pp))
    return "pp";
  if (one_of(w, points))
    return "points";
  if (one_of(w, usd))
    return "USD";
  if (one_of(w, eur))
    return "EUR";
  if (one_of(w, gbp))
    return "GBP";
  if (one_of(w, ms))
    return "ms";
  if (one_of(w, seconds))
    return "seconds";
  if (one_of(w, minutes))
    return "minutes";
  if (one_of(w, hours))
    return "hours";
  if (one_of(w, days))
    return "days";
  if (one_of(w, weeks))
    return "weeks";
  if (one_of(w, months))
    return "months";
  if (one_of(w, years))
    return "years";
  return "";
}

// Letters glued to a number: "50k", "1.2M", "3x", "4h", "200ms", "2nd".
struct Suffix {
  double scale = 1;
  std::string unit;
  bool ordinal = false;
  bool known = false;
};
Suffix glued_suffix(std::string_view w, bool has_currency) {
  Suffix s;
  if (w.empty())
    return s;
  s.known = true;
  if (w == "k") {
    s.scale = 1e3;
  } else if (w == "m" || w == "mn" || w == "mio") {
    s.scale = 1e6;
  } else if (w == "bn" || (w == "b" && has_currency)) {
    s.scale = 1e9;
  } else if (w == "x") {
    s.unit = "x";
  } else if (w == "s") {
    s.unit = "seconds";
  } else if (w == "st" || w == "nd" || w == "rd" || w == "th") {
    s.ordinal = true;
  } else if (const std::string unit = unit_of(w); !unit.empty() && w != "nps") {
    s.unit = unit;
  } else {
    s.known = false;
  }
  return s;
}

struct Number {
  double value = 0;
  std::size_t end = 0;
  bool plain_integer = true;
  std::size_t digits = 0;
};

std::optional<Number> read_number(std::string_view s, std::size_t i) {
  if (!digit(at(s, i)))
    return std::nullopt;
  Number n;
  std::string clean;
  std::size_t j = i;
  for (;;) {
    while (digit(at(s, j)))
      clean += s[j++];
    // "2,000" and "1,250,000": a comma before exactly three digits groups thousands.
    if (at(s, j) == ',' && digit(at(s, j + 1)) && digit(at(s, j + 2)) && digit(at(s, j + 3)) &&
        !digit(at(s, j + 4))) {
      n.plain_integer = false;
      ++j;
      continue;
    }
    break;
  }
  n.digits = clean.size();
  // A decimal point, or a decimal comma as many European colleagues write it ("4,5 days").
  if ((at(s, j) == '.' || at(s, j) == ',') && digit(at(s, j + 1))) {
    n.plain_integer = false;
    clean += '.';
    ++j;
    while (digit(at(s, j)))
      clean += s[j++];
  }
  n.value = std::strtod(clean.c_str(), nullptr);  // no throw on absurdly long digit runs
  n.end = j;
  return n;
}

bool iso_date_at(std::string_view s, std::size_t i, std::size_t& end) {
  // YYYY-MM-DD (or YYYY/MM/DD)
  for (std::size_t k = 0; k < 4; ++k) {
    if (!digit(at(s, i + k)))
      return false;
  }
  const unsigned char sep = at(s, i + 4);
  if ((sep != '-' && sep != '/') || !digit(at(s, i + 5)))
    return false;
  std::size_t j = i + 5;
  while (digit(at(s, j)))
    ++j;
  if (at(s, j) != sep || !digit(at(s, j + 1)))
    return false;
  ++j;
  while (digit(at(s, j)))
    ++j;
  end = j;
  return true;
}

bool day_month_date_at(std::string_view s, std::size_t i, std::size_t& end) {
  // D/M/Y, M/D/Y and D.M.Y: we keep the text as written, so the order does not matter here.
  std::size_t j = i;
  int groups = 0;
  unsigned char separator = 0;  // one separator throughout: "3.6/5" is a rating, not a date
  for (;;) {
    const std::size_t start = j;
    while (digit(at(s, j)))
      ++j;
    if (j == start || j - start > 4)
      return false;
    ++groups;
    if (groups == 3)
      break;
    if ((at(s, j) == '/' || at(s, j) == '.') && digit(at(s, j + 1)) &&
        (separator == 0 || separator == at(s, j))) {
      separator = at(s, j);
      ++j;
    } else {
      return false;
    }
  }
  end = j;
  return true;
}

int number_word(std::string_view w) {
  // "one" is left out on purpose: it is far more often a pronoun ("the one thing") than a count.
  static constexpr std::array<std::string_view, 13> words{
      "zero",  "",      "two",  "three", "four",   "five",  "six",
      "seven", "eight", "nine", "ten",   "eleven", "twelve"};
  for (std::size_t n = 0; n < words.size(); ++n) {
    if (!words[n].empty() && w == words[n])
      return static_cast<int>(n);
  }
  if (w == "twenty")
    return 20;
  if (w == "fifty")
    return 50;
  if (w == "hundred")
    return 100;
  return -1;
}

// Reads scale and unit words (and a trailing currency sign) written after a number.
void read_units_after(std::string_view s, AnswerToken& q, std::size_t& end, double& scale) {
  for (int round = 0; round < 3; ++round) {
    std::size_t k = skip_blanks(s, end);
    if (at(s, k) == '%' && q.unit.empty()) {
      q.unit = "%";
      end = k + 1;
      continue;
    }
    if (const auto sym = currency_symbol(s, k); sym && q.unit.empty()) {
      q.unit = sym->first;
      end = k + sym->second;
      continue;
    }
    std::size_t wend = 0;
    const std::string w = ascii_word(s, k, wend);
    if (w.empty() || ascii_alpha(at(s, wend)) || digit(at(s, wend)))
      return;
    if (scale == 1 && scale_of(w) > 0) {
      scale = scale_of(w);
      end = wend;
      continue;
    }
    if (!q.unit.empty() && q.unit != "USD" && q.unit != "EUR" && q.unit != "GBP")
      return;
    if (!q.unit.empty() && unit_of(w) != q.unit)
      return;
    std::size_t w2end = 0;
    const std::string w2 = ascii_word(s, skip_blanks(s, wend), w2end);
    if (w == "per" && w2 == "cent") {
      q.unit = "%";
      end = w2end;
      return;
    }
    if (w == "percentage" && (w2 == "point" || w2 == "points")) {
      q.unit = "pp";
      end = w2end;
      return;
    }
    if (w == "percentage") {
      q.unit = "%";
      end = wend;
      return;
    }
    if ((w == "business" || w == "working" || w == "calendar") && unit_of(w2) == "days") {
      q.unit = "days";
      end = w2end;
      return;
    }
    // A lone "h", "d" or "w" after a space is too ambiguous ("5 d" yes, "a w" no): glued only.
    if (w.size() == 1)
      return;
    if (const std::string unit = unit_of(w); !unit.empty()) {
      q.unit = unit;
      end = wend;
    }
    return;
  }
}

// Finishes a quantity token that starts at `begin` with `value` read up to `end`.
AnswerToken quantity(std::string_view s, std::size_t begin, double value, std::size_t& end,
                     std::string currency, bool glued_ok) {
  AnswerToken q;
  q.kind = TokenKind::quantity;
  q.unit = std::move(currency);
  double scale = 1;
  if (glued_ok) {
    std::size_t wend = 0;
    const std::string w = ascii_word(s, end, wend);
    const Suffix suffix = glued_suffix(w, !q.unit.empty());
    if (suffix.known && !suffix.ordinal) {
      scale = suffix.scale;
      if (!suffix.unit.empty())
        q.unit = suffix.unit;
      end = wend;
    }
  }
  read_units_after(s, q, end, scale);
  q.value = value * scale;
  q.begin = begin;
  q.end = end;
  return q;
}

// Numbers that are part of a name ("SOC 2", "ISO 27001", "level 2 tickets") become words;
// "1 in 5" and "3 out of 4" become the share they describe (20%, 75%).
std::vector<AnswerToken> read_names_and_ratios(std::vector<AnswerToken> tokens) {
  static constexpr std::array<std::string_view, 14> namers{
      "soc",  "iso",   "pci", "level", "tier", "type", "phase",
      "step", "stage", "gen", "web",   "p",    "sev",  "priority"};
  std::vector<AnswerToken> out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    AnswerToken& t = tokens[i];
    if (t.kind == TokenKind::quantity && t.unit.empty() && !out.empty() &&
        out.back().kind == TokenKind::word && one_of(out.back().word, namers) &&
        out.back().end + 1 >= t.begin) {
      if (t.value < 1e12)  // a name's number is small; the guard keeps the cast defined
        out.back().word += "-" + std::to_string(static_cast<long long>(t.value));
      out.back().end = t.end;
      continue;
    }
    auto plain_count = [](const AnswerToken& q) {
      return q.kind == TokenKind::quantity && q.unit.empty() && !q.year_like && q.value > 0;
    };
    if (plain_count(t) && i + 2 < tokens.size() && tokens[i + 1].kind == TokenKind::word) {
      const bool in = tokens[i + 1].word == "in" && plain_count(tokens[i + 2]);
      const bool out_of = tokens[i + 1].word == "out" && i + 3 < tokens.size() &&
                          tokens[i + 2].kind == TokenKind::word && tokens[i + 2].word == "of" &&
                          plain_count(tokens[i + 3]);
      if (in || out_of) {
        const AnswerToken& whole = tokens[i + (in ? 2 : 3)];
        if (whole.value >= t.value) {
          t.value = std::round(t.value / whole.value * 100.0 * 1e4) / 1e4;
          t.unit = "%";
          t.end = whole.end;
          out.push_back(t);
          i += in ? 2 : 3;
          continue;
        }
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

bool is_duration_unit(std::string_view unit) {
  return unit == "ms" || unit == "seconds" || unit == "minutes" || unit == "hours" ||
         unit == "days" || unit == "weeks" || unit == "months" || unit == "years";
}

std::vector<AnswerToken> tokenize_answer(std::string_view s) {
  std::vector<AnswerToken> tokens;
  std::size_t i = 0;
  auto push_symbol = [&](std::string sym, std::size_t len) {
    AnswerToken t;
    t.kind = TokenKind::symbol;
    t.word = std::move(sym);
    t.begin = i;
    t.end = i + len;
    tokens.push_back(std::move(t));
    i += len;
  };
  while (i < s.size()) {
    const unsigned char c = at(s, i);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (c == 0xC2 && at(s, i + 1) == 0xA0) {
      i += 2;
      continue;
    }
    if (const std::size_t len = arrow_length(s, i); len > 0) {
      AnswerToken t;
      t.kind = TokenKind::arrow;
      t.word = "->";
      t.begin = i;
      t.end = i + len;
      tokens.push_back(t);
      i += len;
      continue;
    }
    if (const auto sym = currency_symbol(s, i); sym) {
      const std::size_t k = skip_blanks(s, i + sym->second);
      if (const auto n = read_number(s, k); n) {
        std::size_t end = n->end;
        tokens.push_back(quantity(s, i, n->value, end, sym->first, true));
        i = end;
        continue;
      }
      push_symbol(sym->first, sym->second);
      continue;
    }
    if (digit(c)) {
      std::size_t end = 0;
      if (iso_date_at(s, i, end) || day_month_date_at(s, i, end)) {
        AnswerToken t;
        t.kind = TokenKind::date;
        t.word = std::string(s.substr(i, end - i));
        t.begin = i;
        t.end = end;
        tokens.push_back(t);
        i = end;
        continue;
      }
      if (starts_at(s, i, "24/7")) {
        AnswerToken t;
        t.word = "24/7";
        t.begin = i;
        t.end = i + 4;
        tokens.push_back(t);
        i += 4;
        continue;
      }
      const Number n = *read_number(s, i);
      std::size_t wend = 0;
      const std::string glued = ascii_word(s, n.end, wend);
      const Suffix suffix = glued_suffix(glued, false);
      const bool compound = glued.empty() && at(s, n.end) == '-' && ascii_alpha(at(s, n.end + 1));
      if (compound || (!glued.empty() && (!suffix.known || suffix.ordinal))) {
        // "2nd", "3rd", "2fa", "5G": an ordinal or a name, not an amount.
        std::size_t w = compound ? n.end : wend;
        while (ascii_alpha(at(s, w)) || digit(at(s, w)) || at(s, w) == '-')
          ++w;
        AnswerToken t;
        t.word = lower_ascii(s.substr(i, w - i));
        t.begin = i;
        t.end = w;
        tokens.push_back(t);
        i = w;
        continue;
      }
      end = n.end;
      AnswerToken q = quantity(s, i, n.value, end, "", true);
      // "4.5/5" or "8/10": a rating; keep the score and drop the scale.
      if (at(s, end) == '/' && digit(at(s, end + 1))) {
        std::size_t k = end + 1;
        while (digit(at(s, k)))
          ++k;
        const std::string_view scale = s.substr(end + 1, k - end - 1);
        if (scale == "5" || scale == "10" || scale == "100") {
          end = k;
          q.end = k;
        }
      }
      q.year_like =
          n.plain_integer && n.digits == 4 && q.unit.empty() && n.value >= 2000 && n.value <= 2099;
      tokens.push_back(q);
      i = end;
      continue;
    }
    if (ascii_alpha(c) || letter_lead(c)) {
      std::string word;
      std::size_t j = i;
      while (j < s.size()) {
        const unsigned char d = at(s, j);
        if (ascii_alpha(d) || digit(d)) {
          word += static_cast<char>(d);
          ++j;
        } else if (letter_lead(d)) {
          const std::size_t len = utf8_length(d);
          word += std::string(s.substr(j, len));
          j += len;
        } else if ((d == '-' || d == '\'' || d == '&') &&
                   (ascii_alpha(at(s, j + 1)) || digit(at(s, j + 1)))) {
          word += static_cast<char>(d);
          ++j;
        } else if (starts_at(s, j, "\xE2\x80\x99") && ascii_alpha(at(s, j + 3))) {
          word += '\'';
          j += 3;
        } else {
          break;
        }
      }
      word = lower_ascii(word);
      if (const int n = number_word(word); n >= 0) {
        std::size_t end = j;
        tokens.push_back(quantity(s, i, n, end, "", false));
        i = end;
        continue;
      }
      // "USD 50k", "EUR 2M": a currency code written before the amount.
      const std::string code = unit_of(word);
      if ((code == "USD" || code == "EUR" || code == "GBP") && word.size() == 3) {
        const std::size_t k = skip_blanks(s, j);
        if (const auto n = read_number(s, k); n) {
          std::size_t end = n->end;
          tokens.push_back(quantity(s, i, n->value, end, code, true));
          i = end;
          continue;
        }
      }
      AnswerToken t;
      t.word = std::move(word);
      t.begin = i;
      t.end = j;
      tokens.push_back(std::move(t));
      i = j;
      continue;
    }
    if (starts_at(s, i, "<=") || starts_at(s, i, "\xE2\x89\xA4")) {
      push_symbol("<=", at(s, i) == '<' ? 2 : 3);
      continue;
    }
    if (starts_at(s, i, ">=") || starts_at(s, i, "\xE2\x89\xA5")) {
      push_symbol(">=", at(s, i) == '>' ? 2 : 3);
      continue;
    }
    // "-10" after a word or an arrow ("eNPS from -10 to +20"); a leading "-" stays a bullet.
    if ((c == '-' || starts_at(s, i, "\xE2\x88\x92")) && !tokens.empty() &&
        (tokens.back().kind == TokenKind::word || tokens.back().kind == TokenKind::arrow) &&
        i > 0 && (at(s, i - 1) == ' ' || at(s, i - 1) == '(')) {
      const std::size_t sign = c == '-' ? 1 : 3;
      if (const auto n = read_number(s, i + sign); n) {
        std::size_t end = n->end;
        AnswerToken q = quantity(s, i, -n->value, end, "", true);
        tokens.push_back(q);
        i = end;
        continue;
      }
    }
    if (c < 0x80) {
      push_symbol(std::string(1, static_cast<char>(c)), 1);
      continue;
    }
    // Emoji, dashes, bullets and other symbols: kept as a symbol so positions stay honest.
    std::size_t len = emoji_length(s, i);
    if (len == 0)
      len = utf8_length(c);
    if (i + len > s.size())
      len = s.size() - i;
    push_symbol(std::string(s.substr(i, len)), len);
  }
  return read_names_and_ratios(std::move(tokens));
}

}  // namespace okr::dialogs
