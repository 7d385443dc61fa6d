#include "dialogs/recurrence.hpp"

#include "dialogs/time_zones.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <sstream>

namespace okr::dialogs {
namespace {

constexpr std::array<const char*, 7> kShortNames = {"sun", "mon", "tue", "wed",
                                                    "thu", "fri", "sat"};
constexpr std::array<const char*, 7> kFullNames = {"sunday",   "monday", "tuesday", "wednesday",
                                                   "thursday", "friday", "saturday"};
constexpr std::array<const char*, 7> kShownNames = {"Sun", "Mon", "Tue", "Wed",
                                                    "Thu", "Fri", "Sat"};

const date::time_zone* zone(std::string_view name) {
  if (const auto* found = find_time_zone(name))
    return found;
  throw UnknownTimeZone(std::string(name));
}

// The instant of a local time, with the DST rules of the header: a gap resolves to the moment
// the clocks jump (the first valid instant after the missing time), an overlap to its earlier
// instant so the occurrence fires once.
TimePoint resolve(const date::time_zone* tz, date::local_seconds local) {
  const auto info = tz->get_info(local);
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:
      return TimePoint{local.time_since_epoch() - info.first.offset};
    case date::local_info::nonexistent:
      return info.second.begin;
  }
  return TimePoint{local.time_since_epoch() - info.first.offset};
}

date::local_seconds local_at(date::local_days day, LocalTime time) {
  return day + std::chrono::hours{time.hour} + std::chrono::minutes{time.minute};
}

std::string two(int n) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02d", n);
  return buffer;
}

std::string hhmm(LocalTime t) {
  return two(t.hour) + ":" + two(t.minute);
}

std::optional<LocalTime> read_hhmm(std::string_view text) {
  if (text.size() != 5 || text[2] != ':')
    return std::nullopt;
  int h = 0;
  int m = 0;
  if (std::from_chars(text.data(), text.data() + 2, h).ptr != text.data() + 2 ||
      std::from_chars(text.data() + 3, text.data() + 5, m).ptr != text.data() + 5)
    return std::nullopt;
  if (h < 0 || h > 23 || m < 0 || m > 59)
    return std::nullopt;
  return LocalTime{h, m};
}

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ')
      ++i;
    const auto start = i;
    while (i < text.size() && text[i] != ' ')
      ++i;
    if (i > start)
      out.push_back(text.substr(start, i - start));
  }
  return out;
}

std::optional<TimePoint> next_weekly(const Weekly& weekly, const date::time_zone* tz,
                                     TimePoint after) {
  if (weekly.weekdays.empty())
    return std::nullopt;
  const auto local_now = tz->to_local(after);
  const auto today = date::floor<date::days>(local_now);
  // From yesterday (local days near a DST change can map either side of `after`) through two
  // weeks on, which always contains a matching weekday.
  for (int i = -1; i <= 14; ++i) {
    const date::local_days day = today + date::days{i};
    const auto weekday = date::weekday{day}.c_encoding();
    if (std::find(weekly.weekdays.begin(), weekly.weekdays.end(), weekday) == weekly.weekdays.end())
      continue;
    const auto at = resolve(tz, local_at(day, weekly.time));
    if (at > after)
      return at;
  }
  return std::nullopt;
}

}  // namespace

bool is_time_zone(std::string_view name) { return find_time_zone(name) != nullptr; }

TimePoint resolve_local(int year, unsigned month, unsigned day, LocalTime time,
                        std::string_view time_zone) {
  const date::local_days local_day{date::year{year} / date::month{month} / date::day{day}};
  return resolve(zone(time_zone), local_at(local_day, time));
}

std::optional<TimePoint> next_occurrence(const Recurrence& recurrence, std::string_view time_zone,
                                         TimePoint after, std::optional<TimePoint> cycle_end) {
  const auto* tz = zone(time_zone);
  if (const auto* weekly = std::get_if<Weekly>(&recurrence))
    return next_weekly(*weekly, tz, after);
  if (const auto* once = std::get_if<OneOff>(&recurrence)) {
    const date::local_days day{date::year{once->year} / date::month{once->month} /
                               date::day{once->day}};
    const auto at = resolve(tz, local_at(day, once->time));
    return at > after ? std::optional(at) : std::nullopt;
  }
  const auto& end = std::get<AtCycleEnd>(recurrence);
  if (!cycle_end)
    return std::nullopt;
  // Cycles are calendar months (their bounds are UTC midnights), so the last day is a date:
  // the one before the exclusive end, read as that date in the schedule's own zone.
  const date::local_days last_day{
      (date::floor<date::days>(*cycle_end - std::chrono::seconds{1})).time_since_epoch()};
  const auto at = resolve(tz, local_at(last_day, end.time));
  return at > after ? std::optional(at) : std::nullopt;
}

OneOff one_off_at(TimePoint at, std::string_view time_zone) {
  const auto local = date::floor<std::chrono::minutes>(zone(time_zone)->to_local(at));
  const auto day = date::floor<date::days>(local);
  const date::year_month_day ymd{day};
  const auto minutes = (local - day).count();
  return OneOff{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()),
                LocalTime{static_cast<int>(minutes / 60), static_cast<int>(minutes % 60)}};
}

std::string recurrence_text(const Recurrence& recurrence) {
  if (const auto* weekly = std::get_if<Weekly>(&recurrence)) {
    std::string days;
    for (const auto d : weekly->weekdays)
      days += (days.empty() ? "" : ",") + weekday_name(d);
    return "weekly " + days + " " + hhmm(weekly->time);
  }
  if (const auto* once = std::get_if<OneOff>(&recurrence)) {
    return "once " + std::to_string(once->year) + "-" + two(static_cast<int>(once->month)) + "-" +
           two(static_cast<int>(once->day)) + " " + hhmm(once->time);
  }
  return "cycle_end " + hhmm(std::get<AtCycleEnd>(recurrence).time);
}

std::optional<Recurrence> parse_recurrence(std::string_view text) {
  const auto parts = words(text);
  if (parts.size() == 2 && parts[0] == "cycle_end") {
    if (auto t = read_hhmm(parts[1]))
      return AtCycleEnd{*t};
    return std::nullopt;
  }
  if (parts.size() == 3 && parts[0] == "weekly") {
    const auto t = read_hhmm(parts[2]);
    if (!t)
      return std::nullopt;
    Weekly weekly;
    weekly.time = *t;
    std::string_view list = parts[1];
    while (!list.empty()) {
      const auto comma = list.find(',');
      const auto name = list.substr(0, comma);
      const auto d = weekday_from_name(name);
      if (!d)
        return std::nullopt;
      weekly.weekdays.push_back(*d);
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    }
    std::sort(weekly.weekdays.begin(), weekly.weekdays.end());
    weekly.weekdays.erase(std::unique(weekly.weekdays.begin(), weekly.weekdays.end()),
                          weekly.weekdays.end());
    if (weekly.weekdays.empty())
      return std::nullopt;
    return weekly;
  }
  if (parts.size() == 3 && parts[0] == "once") {
    const auto t = read_hhmm(parts[2]);
    const auto d = parts[1];
    int y = 0;
    unsigned m = 0;
    unsigned day = 0;
    if (!t || d.size() != 10 || d[4] != '-' || d[7] != '-' ||
        std::from_chars(d.data(), d.data() + 4, y).ptr != d.data() + 4 ||
        std::from_chars(d.data() + 5, d.data() + 7, m).ptr != d.data() + 7 ||
        std::from_chars(d.data() + 8, d.data() + 10, day).ptr != d.data() + 10)
      return std::nullopt;
    if (!date::year_month_day{date::year{y} / date::month{m} / date::day{day}}.ok())
      return std::nullopt;
    return OneOff{y, m, day, *t};
  }
  return std::nullopt;
}

std::string describe_recurrence(const Recurrence& recurrence) {
  if (const auto* weekly = std::get_if<Weekly>(&recurrence)) {
    std::string days;
    for (const auto d : weekly->weekdays)
      days += (days.empty() ? "" : ", ") + std::string(kShownNames.at(d));
    return "every " + days + " at " + hhmm(weekly->time);
  }
  if (const auto* once = std::get_if<OneOff>(&recurrence)) {
    const date::year_month_day ymd{date::year{once->year} / date::month{once->month} /
                                   date::day{once->day}};
    return "on " + date::format("%a %d %b %Y", date::local_days{ymd}) + " at " + hhmm(once->time);
  }
  return "at the end of each cycle (" + hhmm(std::get<AtCycleEnd>(recurrence).time) + ")";
}

std::string describe_instant(TimePoint at, std::string_view time_zone) {
  const auto* tz = zone(time_zone);
  const auto local = tz->to_local(at);
  return date::format("%a %d %b %Y, %H:%M", local) + " (" + std::string(tz->name()) + ")";
}

std::optional<unsigned> weekday_from_name(std::string_view name) {
  std::string lowered(name);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (unsigned i = 0; i < 7; ++i) {
    if (lowered == kShortNames.at(i) || lowered == kFullNames.at(i))
      return i;
  }
  return std::nullopt;
}

std::string weekday_name(unsigned weekday) {
  return kShortNames.at(weekday % 7);
}

}  // namespace okr::dialogs
