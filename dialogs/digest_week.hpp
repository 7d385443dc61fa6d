#pragma once
// The ISO week a digest covers: Monday 00:00 to the next Monday 00:00 in the team's time zone.
// Written "2026-W48" everywhere a person types or reads it.
#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "dialogs/domain.hpp"

namespace okr::dialogs {

struct IsoWeek {
  int year = 0;  // the ISO week-numbering year (may differ from the calendar year near New Year)
  int week = 0;  // 1-53
  friend auto operator<=>(const IsoWeek&, const IsoWeek&) = default;  // chronological
};

// "2026-W48" (also "2026-w48" and "2026W48"); nullopt when the text is not such a week or the
// year has no such week (W53 exists only in long years).
std::optional<IsoWeek> parse_iso_week(std::string_view text);
std::string to_string(const IsoWeek& week);

// The week containing `at` as seen in `time_zone` (an IANA name; unknown names fall back to UTC).
IsoWeek week_containing(TimePoint at, const std::string& time_zone);
IsoWeek previous_week(const IsoWeek& week);

// [starts_at, ends_at): local Monday midnight to the following Monday midnight, as instants.
struct WeekBounds {
  TimePoint starts_at{};
  TimePoint ends_at{};
};
WeekBounds bounds_of(const IsoWeek& week, const std::string& time_zone);

}  // namespace okr::dialogs
