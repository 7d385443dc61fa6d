#include "dialogs/digest_week.hpp"

#include "dialogs/time_zones.hpp"

#include <cctype>
#include <charconv>

#include <date/date.h>
#include <date/iso_week.h>
#include <date/tz.h>

namespace okr::dialogs {
namespace {

const date::time_zone* zone_or_utc(const std::string& name) {
  if (const auto* found = find_time_zone(name.empty() ? "UTC" : name))
    return found;
  // A zone the tz database does not know must not stop a digest; UTC is the product default.
  return date::locate_zone("UTC");
}

bool read_int(std::string_view text, int& out) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && ptr == text.data() + text.size();
}

}  // namespace

std::optional<IsoWeek> parse_iso_week(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.size() < 6 || text.size() > 8) return std::nullopt;
  std::string_view year_part = text.substr(0, 4);
  std::string_view rest = text.substr(4);
  if (!rest.empty() && rest.front() == '-') rest.remove_prefix(1);
  if (rest.empty() || (rest.front() != 'W' && rest.front() != 'w')) return std::nullopt;
  rest.remove_prefix(1);
  if (rest.size() != 2) return std::nullopt;
  int year = 0;
  int week = 0;
  if (!read_int(year_part, year) || !read_int(rest, week)) return std::nullopt;
  if (year < 1970 || week < 1) return std::nullopt;
  auto last = iso_week::year_lastweek{iso_week::year{year}};
  if (static_cast<unsigned>(week) > static_cast<unsigned>(last.weeknum())) return std::nullopt;
  return IsoWeek{year, week};
}

std::string to_string(const IsoWeek& week) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-W%02d", week.year, week.week);
  return buffer;
}

IsoWeek week_containing(TimePoint at, const std::string& time_zone) {
  auto local = zone_or_utc(time_zone)->to_local(at);
  auto day = date::floor<date::days>(local);
  iso_week::year_weeknum_weekday iso{date::sys_days{day.time_since_epoch()}};
  return IsoWeek{static_cast<int>(iso.year()), static_cast<int>(static_cast<unsigned>(iso.weeknum()))};
}

IsoWeek previous_week(const IsoWeek& week) {
  iso_week::year_weeknum_weekday monday{iso_week::year{week.year}, iso_week::weeknum{static_cast<unsigned>(week.week)},
                                        iso_week::mon};
  iso_week::year_weeknum_weekday before{date::sys_days{monday} - date::days{7}};
  return IsoWeek{static_cast<int>(before.year()), static_cast<int>(static_cast<unsigned>(before.weeknum()))};
}

WeekBounds bounds_of(const IsoWeek& week, const std::string& time_zone) {
  const auto* zone = zone_or_utc(time_zone);
  iso_week::year_weeknum_weekday monday{iso_week::year{week.year}, iso_week::weeknum{static_cast<unsigned>(week.week)},
                                        iso_week::mon};
  date::local_days start{date::sys_days{monday}.time_since_epoch()};
  // Midnight can fall in a DST gap in a few zones; `earliest` picks the first instant that exists.
  auto starts = zone->to_sys(date::local_seconds{start}, date::choose::earliest);
  auto ends = zone->to_sys(date::local_seconds{start + date::days{7}}, date::choose::earliest);
  return WeekBounds{std::chrono::floor<std::chrono::seconds>(starts), std::chrono::floor<std::chrono::seconds>(ends)};
}

}  // namespace okr::dialogs
