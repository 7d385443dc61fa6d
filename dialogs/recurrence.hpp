#pragma once
// When a schedule fires: weekly on some weekdays at a local time, once at a local date-time, or
// on the last day of each cycle at a local time. Local times are read in an IANA zone with the
// date/tz library, so every occurrence is a real UTC instant whatever the zone's DST rules:
//  - a local time that does not exist (spring-forward gap) fires at the first valid instant
//    after it, i.e. the moment the clocks jump;
//  - a local time that happens twice (fall-back) fires once, at the earlier instant.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dialogs/domain.hpp"

namespace okr::dialogs {

struct LocalTime {
  int hour = 9;
  int minute = 0;
  friend bool operator==(const LocalTime&, const LocalTime&) = default;
};

// Weekdays are 0 = Sunday … 6 = Saturday (the C encoding), kept sorted and unique.
struct Weekly {
  std::vector<unsigned> weekdays;
  LocalTime time;
  friend bool operator==(const Weekly&, const Weekly&) = default;
};

struct OneOff {
  int year = 2026;
  unsigned month = 1;
  unsigned day = 1;
  LocalTime time;
  friend bool operator==(const OneOff&, const OneOff&) = default;
};

// The last day of every cycle (a calendar date), at `time` local.
struct AtCycleEnd {
  LocalTime time{16, 0};
  friend bool operator==(const AtCycleEnd&, const AtCycleEnd&) = default;
};

using Recurrence = std::variant<Weekly, OneOff, AtCycleEnd>;

// A time zone name the tz database does not know. The message names it.
class UnknownTimeZone : public std::invalid_argument {
 public:
  explicit UnknownTimeZone(const std::string& name)
      : std::invalid_argument("unknown time zone \"" + name +
                              "\" (expected an IANA name such as Europe/Berlin)"),
        name_(name) {}
  const std::string& name() const noexcept { return name_; }

 private:
  std::string name_;
};

// True when `name` is a zone of the tz database (or "UTC").
bool is_time_zone(std::string_view name);

// The first occurrence strictly after `after`; nullopt when there is none (a one-off already
// past, or a cycle-end recurrence whose `cycle_end` occurrence is not after `after` — the
// caller then asks again with the next cycle's end). `cycle_end` is the exclusive end instant
// of the cycle in question; only AtCycleEnd reads it. Throws UnknownTimeZone.
std::optional<TimePoint> next_occurrence(const Recurrence& recurrence, std::string_view time_zone,
                                         TimePoint after,
                                         std::optional<TimePoint> cycle_end = std::nullopt);

// The instant a local date-time means in `time_zone`, with the DST rules above.
TimePoint resolve_local(int year, unsigned month, unsigned day, LocalTime time,
                        std::string_view time_zone);

// The one-off at the local date and minute `at` has in `time_zone` (seconds dropped).
OneOff one_off_at(TimePoint at, std::string_view time_zone);

// A compact, stable text form for storage: "weekly mon,wed 09:00", "once 2026-12-18 15:00",
// "cycle_end 16:00". parse_recurrence returns nullopt for anything else.
std::string recurrence_text(const Recurrence& recurrence);
std::optional<Recurrence> parse_recurrence(std::string_view text);

// For people: "every Mon, Wed at 09:00", "on Fri 18 Dec 2026 at 15:00", "at the end of each
// cycle (16:00)".
std::string describe_recurrence(const Recurrence& recurrence);
// `at` shown in `time_zone`: "Mon 30 Nov 2026, 09:00 (Europe/Berlin)".
std::string describe_instant(TimePoint at, std::string_view time_zone);

// "mon" → 1 … "sun" → 0; full names too; nullopt otherwise.
std::optional<unsigned> weekday_from_name(std::string_view name);
std::string weekday_name(unsigned weekday);  // 1 → "mon"

}  // namespace okr::dialogs
