#include <catch2/catch.hpp>

#include <date/date.h>

#include "dialogs/recurrence.hpp"
#include "tests/support/clock_text.hpp"

using namespace okr::dialogs;

using okr::test::iso;
using okr::test::utc;

namespace {

Weekly weekly(std::vector<unsigned> days, int hour, int minute = 0) {
  return Weekly{std::move(days), LocalTime{hour, minute}};
}

constexpr unsigned kSun = 0;
constexpr unsigned kMon = 1;
constexpr unsigned kWed = 3;
constexpr unsigned kFri = 5;

// Occurrences one after another, starting strictly after `from`.
std::vector<std::string> series(const Recurrence& r, const char* zone, const char* from, int n) {
  std::vector<std::string> out;
  std::optional<TimePoint> at = utc(from);
  for (int i = 0; i < n && at; ++i) {
    at = next_occurrence(r, zone, *at);
    out.push_back(iso(at));
  }
  return out;
}

}  // namespace

TEST_CASE("a weekly 09:00 nudge in New York keeps 09:00 local across the March DST change",
          "[dialogs][recurrence]") {
  CHECK(series(weekly({kMon}, 9), "America/New_York", "2026-02-28T00:00", 3) ==
        std::vector<std::string>{"2026-03-02T14:00", "2026-03-09T13:00", "2026-03-16T13:00"});
  // Sunday 2026-03-08 itself: 09:00 is after the 02:00 jump, already EDT.
  CHECK(series(weekly({kSun}, 9), "America/New_York", "2026-03-01T15:00", 1) ==
        std::vector<std::string>{"2026-03-08T13:00"});
}

TEST_CASE("a local time inside the spring-forward gap fires when the clocks jump",
          "[dialogs][recurrence]") {
  // 02:30 does not exist in New York on 2026-03-08; 02:00 EST became 03:00 EDT at 07:00 UTC.
  CHECK(iso(next_occurrence(weekly({kSun}, 2, 30), "America/New_York", utc("2026-03-07T00:00"))) ==
        "2026-03-08T07:00");
  // The week after it is an ordinary 02:30 EDT.
  CHECK(iso(next_occurrence(weekly({kSun}, 2, 30), "America/New_York", utc("2026-03-08T07:00"))) ==
        "2026-03-15T06:30");
  CHECK(iso(next_occurrence(OneOff{2026, 3, 8, {2, 15}}, "America/New_York",
                            utc("2026-03-01T00:00"))) == "2026-03-08T07:00");
}

TEST_CASE("a weekly 09:00 nudge in Berlin keeps 09:00 local across the October DST change",
          "[dialogs][recurrence]") {
  CHECK(series(weekly({kSun}, 9), "Europe/Berlin", "2026-10-17T00:00", 3) ==
        std::vector<std::string>{"2026-10-18T07:00", "2026-10-25T08:00", "2026-11-01T08:00"});
  CHECK(series(weekly({kMon}, 9), "Europe/Berlin", "2026-10-20T00:00", 1) ==
        std::vector<std::string>{"2026-10-26T08:00"});
}

TEST_CASE("a local time that happens twice at fall-back fires once, at the earlier instant",
          "[dialogs][recurrence]") {
  // 02:30 on 2026-10-25 in Berlin is first 00:30 UTC (CEST), then 01:30 UTC (CET).
  CHECK(series(weekly({kSun}, 2, 30), "Europe/Berlin", "2026-10-24T00:00", 2) ==
        std::vector<std::string>{"2026-10-25T00:30", "2026-11-01T01:30"});
}

TEST_CASE("half-hour and quarter-hour zones land on the right instant", "[dialogs][recurrence]") {
  CHECK(iso(next_occurrence(weekly({kMon}, 9), "Asia/Kolkata", utc("2026-11-28T00:00"))) ==
        "2026-11-30T03:30");
  // Chatham: +13:45 in its summer (November), +12:45 in its winter (July).
  CHECK(iso(next_occurrence(weekly({kMon}, 9), "Pacific/Chatham", utc("2026-11-28T00:00"))) ==
        "2026-11-29T19:15");
  CHECK(iso(next_occurrence(weekly({kMon}, 9), "Pacific/Chatham", utc("2026-07-01T00:00"))) ==
        "2026-07-05T20:15");
}

TEST_CASE("the weekday is the local one on both sides of the date line", "[dialogs][recurrence]") {
  const auto after = utc("2026-11-29T00:00");  // a Sunday in UTC
  // Kiritimati (+14) reaches Monday 09:00 while it is still Sunday in UTC; Pago Pago (-11) a
  // whole day later.
  CHECK(iso(next_occurrence(weekly({kMon}, 9), "Pacific/Kiritimati", after)) == "2026-11-29T19:00");
  CHECK(iso(next_occurrence(weekly({kMon}, 9), "Pacific/Pago_Pago", after)) == "2026-11-30T20:00");
}

TEST_CASE("the next occurrence is strictly after the given instant", "[dialogs][recurrence]") {
  const auto r = weekly({kMon, kWed}, 9);
  CHECK(iso(next_occurrence(r, "UTC", utc("2026-11-30T09:00"))) == "2026-12-02T09:00");
  CHECK(iso(next_occurrence(r, "UTC", utc("2026-11-30T08:59"))) == "2026-11-30T09:00");
}

TEST_CASE("a one-off fires once and never again", "[dialogs][recurrence]") {
  const Recurrence r = OneOff{2026, 12, 18, {15, 0}};
  CHECK(iso(next_occurrence(r, "Europe/Berlin", utc("2026-12-01T00:00"))) == "2026-12-18T14:00");
  CHECK(iso(next_occurrence(r, "Europe/Berlin", utc("2026-12-18T14:00"))) == "none");
}

TEST_CASE("the cycle-end occurrence is on the cycle's last local day", "[dialogs][recurrence]") {
  const Recurrence r = AtCycleEnd{{16, 0}};
  const auto end = utc("2027-01-01T00:00");  // Q4 2026 ends here (exclusive)
  CHECK(iso(next_occurrence(r, "Europe/Berlin", utc("2026-12-01T00:00"), end)) ==
        "2026-12-31T15:00");
  CHECK(iso(next_occurrence(r, "Europe/Berlin", utc("2026-12-31T15:00"), end)) == "none");
  CHECK(iso(next_occurrence(r, "Europe/Berlin", utc("2026-12-01T00:00"))) == "none");
}

TEST_CASE("an unknown time zone is an error naming it", "[dialogs][recurrence]") {
  CHECK_THROWS_WITH(
      next_occurrence(weekly({kFri}, 9), "Mars/Olympus_Mons", utc("2026-11-28T00:00")),
      Catch::Contains("Mars/Olympus_Mons"));
  CHECK_THROWS_AS(resolve_local(2026, 1, 1, {9, 0}, "Nowhere"), UnknownTimeZone);
  CHECK(is_time_zone("Asia/Kolkata"));
  CHECK(is_time_zone("UTC"));
  CHECK_FALSE(is_time_zone("Asia/Atlantis"));
}

TEST_CASE("recurrences survive their stored text form", "[dialogs][recurrence]") {
  const std::vector<Recurrence> all = {weekly({kMon, kWed}, 9, 5), OneOff{2026, 12, 18, {15, 0}},
                                       AtCycleEnd{{16, 30}}};
  for (const auto& r : all) {
    const auto text = recurrence_text(r);
    const auto back = parse_recurrence(text);
    REQUIRE(back);
    CHECK(*back == r);
  }
  CHECK(recurrence_text(weekly({kWed, kMon}, 9)) == "weekly wed,mon 09:00");
  CHECK(parse_recurrence("weekly wed,mon,wed 09:00") ==
        std::optional<Recurrence>(weekly({kMon, kWed}, 9)));
  CHECK_FALSE(parse_recurrence("weekly 09:00"));
  CHECK_FALSE(parse_recurrence("weekly mon 25:00"));
  CHECK_FALSE(parse_recurrence("once 2026-02-30 09:00"));
  CHECK_FALSE(parse_recurrence("sometimes"));
}

TEST_CASE("recurrences and instants read well for people", "[dialogs][recurrence]") {
  CHECK(describe_recurrence(weekly({kMon, kWed}, 9)) == "every Mon, Wed at 09:00");
  CHECK(describe_recurrence(OneOff{2026, 12, 18, {15, 0}}) == "on Fri 18 Dec 2026 at 15:00");
  CHECK(describe_instant(utc("2026-11-30T08:00"), "Europe/Berlin") ==
        "Mon 30 Nov 2026, 09:00 (Europe/Berlin)");
}
