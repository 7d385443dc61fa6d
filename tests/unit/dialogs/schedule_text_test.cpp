#include <catch2/catch.hpp>

#include <date/date.h>

#include "dialogs/schedule_text.hpp"

using namespace okr::dialogs;

namespace {

ScheduleRequest parsed(std::string_view text) {
  auto result = parse_schedule_text(text);
  if (auto* error = std::get_if<ScheduleTextError>(&result))
    FAIL("expected \"" << text << "\" to parse, got: " << error->message);
  return std::get<ScheduleRequest>(result);
}

std::string error_of(std::string_view text) {
  auto result = parse_schedule_text(text);
  if (std::holds_alternative<ScheduleRequest>(result))
    FAIL("expected \"" << text << "\" to be refused");
  return std::get<ScheduleTextError>(result).message;
}

TimePoint utc(int y, unsigned m, unsigned d, int h) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}} + std::chrono::hours{h};
}

}  // namespace

TEST_CASE("a weekly schedule for oneself is read with its days and time", "[dialogs][schedule_text]") {
  const auto r = parsed("checkin for me every mon,wed at 09:00");
  CHECK(r.kind == ScheduleKind::checkin);
  CHECK(r.target == ScheduleTarget{ScheduleTarget::Kind::me, ""});
  CHECK(r.recurrence == Recurrence{Weekly{{1, 3}, {9, 0}}});
  CHECK(r.dialog.empty());
}

TEST_CASE("days may be spelled out, spaced after commas, or be every weekday or day",
          "[dialogs][schedule_text]") {
  CHECK(parsed("checkin for me every Monday, Wednesday at 9:30").recurrence ==
        Recurrence{Weekly{{1, 3}, {9, 30}}});
  CHECK(parsed("checkin for me every weekday at 08:00").recurrence ==
        Recurrence{Weekly{{1, 2, 3, 4, 5}, {8, 0}}});
  CHECK(parsed("checkin for me every day at 08:00").recurrence ==
        Recurrence{Weekly{{0, 1, 2, 3, 4, 5, 6}, {8, 0}}});
  CHECK(parsed("CHECK-IN FOR ME EVERY FRI AT 16:00").recurrence == Recurrence{Weekly{{5}, {16, 0}}});
}

TEST_CASE("a one-off for a mentioned person keeps the mention's user id", "[dialogs][schedule_text]") {
  const auto r = parsed("reflect for @U123 on 2026-12-18 at 15:00");
  CHECK(r.kind == ScheduleKind::reflect);
  CHECK(r.target == ScheduleTarget{ScheduleTarget::Kind::person, "U123"});
  CHECK(r.recurrence == Recurrence{OneOff{2026, 12, 18, {15, 0}}});
  CHECK(parsed("reflect for <@U9|ana> on 2026-12-18 at 15:00").target.user_ref == "U9");
}

TEST_CASE("the end of the cycle is read with or without 'the' and with an optional time",
          "[dialogs][schedule_text]") {
  CHECK(parsed("reflect for team at end of cycle").recurrence == Recurrence{AtCycleEnd{{16, 0}}});
  CHECK(parsed("reflect for team at the end of the cycle").recurrence ==
        Recurrence{AtCycleEnd{{16, 0}}});
  CHECK(parsed("reflect for team at end of cycle at 11:00").recurrence ==
        Recurrence{AtCycleEnd{{11, 0}}});
  CHECK(parsed("reflect for team at end of cycle").target.kind == ScheduleTarget::Kind::team);
}

TEST_CASE("'with' names a custom question set", "[dialogs][schedule_text]") {
  const auto r = parsed("reflect for team every fri at 16:00 with retro-lite");
  CHECK(r.dialog == "retro-lite");
  CHECK(r.recurrence == Recurrence{Weekly{{5}, {16, 0}}});
  CHECK(parsed("reflect for @U1 at end of cycle with deep-dive").dialog == "deep-dive");
}

TEST_CASE("every kind of schedule is known by its name", "[dialogs][schedule_text]") {
  for (const auto kind : {ScheduleKind::checkin, ScheduleKind::reminder, ScheduleKind::reflect,
                          ScheduleKind::digest}) {
    CHECK(schedule_kind_from_name(schedule_kind_name(kind)) == kind);
    CHECK(parsed(schedule_kind_name(kind) + " for team every mon at 09:00").kind == kind);
  }
}

TEST_CASE("unreadable schedule text is answered with the accepted forms and an example",
          "[dialogs][schedule_text]") {
  const std::vector<std::string> bad = {
      "",
      "dance for me every mon at 09:00",
      "checkin me every mon at 09:00",
      "checkin for",
      "checkin for bob every mon at 09:00",
      "checkin for me",
      "checkin for me every fryday at 09:00",
      "checkin for me every mon at 25:00",
      "checkin for me every mon at 9",
      "checkin for me every mon",
      "checkin for me on 2026-02-30 at 09:00",
      "checkin for me on 18/12/2026 at 09:00",
      "checkin for me on 2026-12-18",
      "checkin for me at end of month",
      "checkin for me tomorrow",
      "reflect for me every fri at 16:00 with",
      "reflect for me every fri at 16:00 with a b",
  };
  for (const auto& text : bad) {
    INFO(text);
    const auto message = error_of(text);
    CHECK_THAT(message, Catch::Contains("schedule checkin for me every mon,wed at 09:00"));
    CHECK_THAT(message, Catch::Contains("at end of cycle"));
  }
  CHECK_THAT(error_of("checkin for me every fryday at 09:00"), Catch::Contains("fryday"));
  CHECK_THAT(error_of("checkin for me every mon at 25:00"), Catch::Contains("25:00"));
  CHECK_THAT(error_of("dance for me every mon at 09:00"), Catch::Contains("dance"));
}

TEST_CASE("a one-off already in the past is refused, in the zone it is read in",
          "[dialogs][schedule_text]") {
  const auto r = parsed("reflect for me on 2026-11-30 at 09:00");
  // 09:00 in Berlin is 08:00 UTC.
  CHECK(check_not_in_past(r, "Europe/Berlin", utc(2026, 11, 30, 7)) == std::nullopt);
  const auto late = check_not_in_past(r, "Europe/Berlin", utc(2026, 11, 30, 8));
  REQUIRE(late);
  CHECK_THAT(late->message, Catch::Contains("already passed"));
  // Weekly schedules are never "in the past".
  CHECK_FALSE(check_not_in_past(parsed("checkin for me every mon at 09:00"), "UTC",
                                utc(2030, 1, 1, 0)));
}
