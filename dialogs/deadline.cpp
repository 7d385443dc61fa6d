#include "dialogs/deadline.hpp"

#include <array>
#include <string_view>

#include "dialogs/words.hpp"

namespace okr::dialogs {
namespace {

using Tokens = std::vector<AnswerToken>;

bool word_at(const Tokens& t, std::size_t i, std::string_view w) {
  return i < t.size() && t[i].kind == TokenKind::word && t[i].word == w;
}

std::string_view text_at(const Tokens& t, std::size_t i) {
  return i < t.size() && t[i].kind == TokenKind::word ? std::string_view(t[i].word) : "";
}

bool quarter_or_half(std::string_view w) {
  if (w.size() == 2 && w[0] == 'q' && w[1] >= '1' && w[1] <= '4')
    return true;
  if (w.size() == 2 && w[0] == 'h' && (w[1] == '1' || w[1] == '2'))
    return true;
  // "fy26", "q3-2026"
  if (w.size() == 4 && w[0] == 'f' && w[1] == 'y')
    return true;
  if (w.size() == 7 && w[0] == 'q' && w[2] == '-')
    return true;
  return false;
}

bool month(std::string_view w) {
  static constexpr std::array<std::string_view, 24> months{
      "january",   "february", "march",    "april",    "may",  "june", "july", "august",
      "september", "october",  "november", "december", "jan",  "feb",  "mar",  "apr",
      "jun",       "jul",      "aug",      "sep",      "sept", "oct",  "nov",  "dec"};
  if (one_of(w, months))
    return true;
  // "mid-March", "early-June", "end-May"
  for (const std::string_view prefix : {"mid-", "early-", "late-", "end-"}) {
    if (w.starts_with(prefix) && one_of(w.substr(prefix.size()), months))
      return true;
  }
  return false;
}

bool weekday(std::string_view w) {
  static constexpr std::array<std::string_view, 7> days{
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  return one_of(w, days);
}

bool period(std::string_view w) {
  static constexpr std::array<std::string_view, 10> periods{
      "month", "quarter", "year", "cycle", "sprint", "week", "half", "period", "semester", "term"};
  return one_of(w, periods);
}

bool season(std::string_view w) {
  static constexpr std::array<std::string_view, 5> seasons{"summer", "spring", "autumn", "fall",
                                                           "winter"};
  return one_of(w, seasons);
}

bool holiday(std::string_view w) {
  static constexpr std::array<std::string_view, 6> holidays{"christmas",    "xmas",   "easter",
                                                            "thanksgiving", "diwali", "midsummer"};
  return one_of(w, holidays);
}

bool year_at(const Tokens& t, std::size_t i) {
  return i < t.size() && t[i].kind == TokenKind::quantity && t[i].year_like;
}

bool day_number_at(const Tokens& t, std::size_t i) {
  if (i >= t.size())
    return false;
  if (t[i].kind == TokenKind::quantity) {
    return t[i].unit.empty() && t[i].value >= 1 && t[i].value <= 31 &&
           t[i].value == static_cast<int>(t[i].value);
  }
  // "15th"
  const std::string_view w = text_at(t, i);
  return w.size() >= 3 && w[0] >= '0' && w[0] <= '9' &&
         (w.ends_with("st") || w.ends_with("nd") || w.ends_with("rd") || w.ends_with("th"));
}

std::size_t optional_year(const Tokens& t, std::size_t i) {
  if (i < t.size() && t[i].kind == TokenKind::symbol && t[i].word == "," && year_at(t, i + 1)) {
    return i + 2;
  }
  return year_at(t, i) ? i + 1 : i;
}

// A point in time: "Q2", "March 15", "15 March 2027", "2026-12-31", "Friday", "next quarter".
std::optional<std::size_t> time_reference(const Tokens& t, std::size_t i) {
  if (i >= t.size())
    return std::nullopt;
  if (t[i].kind == TokenKind::date)
    return i + 1;
  if (year_at(t, i))
    return i + 1;
  const std::string_view w = text_at(t, i);
  if (w.empty()) {
    if (day_number_at(t, i) && month(text_at(t, i + 1)))
      return optional_year(t, i + 2);
    return std::nullopt;
  }
  if (quarter_or_half(w))
    return optional_year(t, i + 1);
  static constexpr std::array<std::string_view, 8> ends{
      "eoy", "eoq", "eom", "year-end", "quarter-end", "month-end", "mid-year", "midyear"};
  if (one_of(w, ends))
    return i + 1;
  if (month(w)) {
    std::size_t k = i + 1;
    if (day_number_at(t, k))
      ++k;
    return optional_year(t, k);
  }
  if (day_number_at(t, i) && month(text_at(t, i + 1)))
    return optional_year(t, i + 2);
  if (weekday(w))
    return i + 1;
  if ((w == "this" || w == "next" || w == "the") && period(text_at(t, i + 1)))
    return i + 2;
  if (season(w) || holiday(w))
    return optional_year(t, i + 1);
  if (w == "the" && season(text_at(t, i + 1)))
    return optional_year(t, i + 2);
  return std::nullopt;
}

// What follows "end of": "Q2", "the quarter", "this cycle", "March", "2026".
std::optional<std::size_t> period_reference(const Tokens& t, std::size_t i) {
  std::size_t k = i;
  if (word_at(t, k, "the") || word_at(t, k, "this") || word_at(t, k, "next") ||
      word_at(t, k, "our")) {
    ++k;
  }
  if (period(text_at(t, k)))
    return optional_year(t, k + 1);
  return time_reference(t, k);
}

bool long_duration(const AnswerToken& q) {
  // Minutes and hours after "within" describe the metric ("answer within 4 hours"), not when.
  return q.kind == TokenKind::quantity &&
         (q.unit == "days" || q.unit == "weeks" || q.unit == "months" || q.unit == "years");
}

std::optional<std::size_t> deadline_from(const Tokens& t, std::size_t i) {
  const std::string_view w = text_at(t, i);
  if (w == "by" || w == "before" || w == "until" || w == "till" || w == "til" || w == "due") {
    std::size_t k = i + 1;
    if (w == "due" && (word_at(t, k, "by") || word_at(t, k, "on") || word_at(t, k, "in")))
      ++k;
    if (word_at(t, k, "the"))
      ++k;
    const std::string_view edge = text_at(t, k);
    if ((edge == "end" || edge == "start" || edge == "beginning" || edge == "middle" ||
         edge == "mid" || edge == "close") &&
        word_at(t, k + 1, "of")) {
      return period_reference(t, k + 2);
    }
    if (word_at(t, i + 1, "the") && !season(edge) && !period(edge))
      return std::nullopt;
    return time_reference(t, word_at(t, i + 1, "the") ? i + 1 : k);
  }
  if (w == "within") {
    std::size_t k = i + 1;
    if (word_at(t, k, "the"))
      ++k;
    if (word_at(t, k, "next") || word_at(t, k, "first"))
      ++k;
    if (k < t.size() && long_duration(t[k]))
      return k + 1;
    if (period(text_at(t, k)) || quarter_or_half(text_at(t, k)))
      return k + 1;
    return std::nullopt;
  }
  if (w == "in" || w == "during") {
    std::size_t k = i + 1;
    if (word_at(t, k, "the") && word_at(t, k + 1, "next") && k + 2 < t.size() &&
        long_duration(t[k + 2])) {
      return k + 3;
    }
    const std::string_view next = text_at(t, k);
    if (quarter_or_half(next) || month(next) || year_at(t, k))
      return time_reference(t, k);
    if ((next == "this" || next == "next") && period(text_at(t, k + 1)))
      return k + 2;
    return std::nullopt;
  }
  if (w == "at" && word_at(t, i + 1, "the") && word_at(t, i + 2, "end") &&
      word_at(t, i + 3, "of")) {
    return period_reference(t, i + 4);
  }
  if ((w == "end" || w == "eoy" || w == "eoq") && word_at(t, i + 1, "of")) {
    return period_reference(t, i + 2);
  }
  if (w == "eoy" || w == "eoq" || w == "eom")
    return i + 1;
  return std::nullopt;
}

}  // namespace

std::optional<DeadlineSpan> find_deadline(const Tokens& tokens) {
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (const auto end = deadline_from(tokens, i); end && *end > i + 1) {
      return DeadlineSpan{i, *end};
    }
    if (const std::string_view w = text_at(tokens, i); w == "eoy" || w == "eoq" || w == "eom") {
      return DeadlineSpan{i, i + 1};
    }
  }
  return std::nullopt;
}

}  // namespace okr::dialogs
