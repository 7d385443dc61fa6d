#include "dialogs/schedule_text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include "dialogs/words.hpp"

namespace okr::dialogs {
namespace {

// Words split on spaces; commas stay inside a word ("mon,wed") but a comma followed by a space
// ("mon, wed") is joined back so both spellings read the same.
std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      if (!current.empty())
        out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty())
    out.push_back(std::move(current));
  std::vector<std::string> joined;
  for (auto& w : out) {
    if (!joined.empty() && (joined.back().ends_with(",") || w.starts_with(",")))
      joined.back() += w;
    else
      joined.push_back(std::move(w));
  }
  return joined;
}

ScheduleTextError problem(const std::string& what) {
  return {what + "\n\n" + schedule_forms()};
}

std::optional<LocalTime> read_time(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3)
    return std::nullopt;
  int h = -1;
  int m = -1;
  if (std::from_chars(text.data(), text.data() + colon, h).ptr != text.data() + colon ||
      std::from_chars(text.data() + colon + 1, text.data() + text.size(), m).ptr !=
          text.data() + text.size())
    return std::nullopt;
  if (h < 0 || h > 23 || m < 0 || m > 59)
    return std::nullopt;
  return LocalTime{h, m};
}

std::optional<std::vector<unsigned>> read_weekdays(const std::string& text) {
  if (text == "day" || text == "daily")
    return std::vector<unsigned>{0, 1, 2, 3, 4, 5, 6};
  if (text == "weekday" || text == "weekdays")
    return std::vector<unsigned>{1, 2, 3, 4, 5};
  std::vector<unsigned> days;
  std::string_view list = text;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto name = list.substr(0, comma);
    if (!name.empty()) {
      const auto d = weekday_from_name(name);
      if (!d)
        return std::nullopt;
      days.push_back(*d);
    }
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  if (days.empty())
    return std::nullopt;
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

std::optional<OneOff> read_date(std::string_view d) {
  int y = 0;
  unsigned m = 0;
  unsigned day = 0;
  if (d.size() != 10 || d[4] != '-' || d[7] != '-' ||
      std::from_chars(d.data(), d.data() + 4, y).ptr != d.data() + 4 ||
      std::from_chars(d.data() + 5, d.data() + 7, m).ptr != d.data() + 7 ||
      std::from_chars(d.data() + 8, d.data() + 10, day).ptr != d.data() + 10)
    return std::nullopt;
  if (m < 1 || m > 12 || day < 1 || day > 31)
    return std::nullopt;
  static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (day > kDays[m - 1] || (m == 2 && day == 29 && !leap))
    return std::nullopt;
  OneOff once;
  once.year = y;
  once.month = m;
  once.day = day;
  return once;
}

// "@U123", "<@U123>" or "<@U123|ana>" → "U123".
std::optional<std::string> read_mention(std::string_view word) {
  if (word.starts_with("<@") && word.ends_with(">"))
    word = word.substr(2, word.size() - 3);
  else if (word.starts_with("@"))
    word.remove_prefix(1);
  else
    return std::nullopt;
  word = word.substr(0, word.find('|'));
  if (word.empty())
    return std::nullopt;
  return std::string(word);
}

// "#C123" (as the channel adapter passes it) or Slack's own "<#C123|growth>".
std::optional<std::string> read_channel(std::string_view word) {
  if (word.size() > 3 && word.substr(0, 2) == "<#" && word.back() == '>')
    word = word.substr(2, word.size() - 3);
  else if (word.size() > 1 && word.front() == '#')
    word.remove_prefix(1);
  else
    return std::nullopt;
  word = word.substr(0, word.find('|'));
  if (word.empty())
    return std::nullopt;
  return std::string(word);
}

}  // namespace

std::string schedule_forms() {
  return "Here is how I read a schedule:\n"
         "• `schedule checkin for me every mon,wed at 09:00`\n"
         "• `schedule reflect for @ana on 2026-12-18 at 15:00`\n"
         "• `schedule reflect for team at end of cycle`\n"
         "• `schedule digest for #channel every mon at 09:00`\n"
         "What: checkin, reminder, reflect or digest. Who: me, @someone, team, or (for the "
         "digest) the team's #channel. "
         "Add `with <dialog>` to use your own question set. Times are in the person's own "
         "time zone.";
}

std::variant<ScheduleRequest, ScheduleTextError> parse_schedule_text(std::string_view text) {
  const auto w = words(text);
  if (w.empty())
    return problem("Tell me what to schedule, for whom and when.");
  ScheduleRequest request;
  const auto kind = schedule_kind_from_name(w[0]);
  if (!kind)
    return problem("I don't know the kind \"" + w[0] + "\" yet.");
  request.kind = *kind;

  std::size_t i = 1;
  if (i >= w.size() || lower_ascii(w[i]) != "for")
    return problem("Who is it for? Say `for me`, `for @someone` or `for team`.");
  ++i;
  if (i >= w.size())
    return problem("Who is it for? Say `for me`, `for @someone` or `for team`.");
  const auto who = lower_ascii(w[i]);
  if (who == "me") {
    request.target.kind = ScheduleTarget::Kind::me;
  } else if (who == "team" || who == "the-team") {
    request.target.kind = ScheduleTarget::Kind::team;
  } else if (auto channel = read_channel(w[i])) {
    if (request.kind != ScheduleKind::digest)
      return problem("Only the team digest can go to a channel; the other kinds are personal, "
                     "so they go to each person's DM.");
    request.target.kind = ScheduleTarget::Kind::channel;
    request.target.user_ref = *channel;
  } else if (auto mention = read_mention(w[i])) {
    request.target.kind = ScheduleTarget::Kind::person;
    request.target.user_ref = *mention;
  } else {
    return problem("I couldn't tell who \"" + w[i] + "\" is: mention them as @name.");
  }
  ++i;

  // The optional `with <dialog>` may come last; take it off first.
  std::vector<std::string> rest(w.begin() + static_cast<std::ptrdiff_t>(i), w.end());
  for (std::size_t k = 0; k < rest.size(); ++k) {
    if (lower_ascii(rest[k]) != "with")
      continue;
    if (k + 2 != rest.size())
      return problem("After `with`, give just the name of the question set.");
    request.dialog = rest[k + 1];
    rest.resize(k);
    break;
  }

  std::vector<std::string> when;
  for (const auto& r : rest)
    when.push_back(lower_ascii(r));
  if (when.empty())
    return problem("When should it happen?");
  if (when[0] == "every") {
    if (when.size() != 4 || when[2] != "at")
      return problem("For a weekly schedule say the days and a time, like `every fri at 16:00`.");
    const auto days = read_weekdays(when[1]);
    if (!days)
      return problem("I couldn't read the days \"" + rest[1] + "\" (use mon, tue, … sun).");
    const auto t = read_time(when[3]);
    if (!t)
      return problem("I couldn't read the time \"" + rest[3] + "\" (use 24-hour HH:MM).");
    request.recurrence = Weekly{*days, *t};
    return request;
  }
  if (when[0] == "on") {
    if (when.size() != 4 || when[2] != "at")
      return problem("For a one-off say the date and a time, like `on 2026-12-18 at 15:00`.");
    auto once = read_date(when[1]);
    if (!once)
      return problem("I couldn't read the date \"" + rest[1] + "\" (use YYYY-MM-DD).");
    const auto t = read_time(when[3]);
    if (!t)
      return problem("I couldn't read the time \"" + rest[3] + "\" (use 24-hour HH:MM).");
    once->time = *t;
    request.recurrence = *once;
    return request;
  }
  if (when[0] == "at") {
    // "at end of cycle", "at the end of the cycle", optionally "… at 15:00".
    std::vector<std::string> phrase;
    std::optional<LocalTime> t;
    for (std::size_t k = 1; k < when.size(); ++k) {
      if (when[k] == "at" && k + 2 == when.size()) {
        t = read_time(when[k + 1]);
        if (!t)
          return problem("I couldn't read the time \"" + rest[k + 1] + "\" (use 24-hour HH:MM).");
        break;
      }
      if (when[k] != "the")
        phrase.push_back(when[k]);
    }
    if (phrase == std::vector<std::string>{"end", "of", "cycle"}) {
      request.recurrence = AtCycleEnd{t.value_or(LocalTime{16, 0})};
      return request;
    }
  }
  return problem(
      "I couldn't tell when: use `every <days> at HH:MM`, `on YYYY-MM-DD at HH:MM` "
      "or `at end of cycle`.");
}

std::optional<ScheduleTextError> check_not_in_past(const ScheduleRequest& request,
                                                   std::string_view time_zone, TimePoint now) {
  const auto* once = std::get_if<OneOff>(&request.recurrence);
  if (!once)
    return std::nullopt;
  if (next_occurrence(*once, time_zone, now))
    return std::nullopt;
  return ScheduleTextError{"That moment has already passed (" + describe_recurrence(*once) + ", " +
                           std::string(time_zone) + "). Pick a date and time still ahead."};
}

}  // namespace okr::dialogs
