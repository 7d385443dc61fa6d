#include <catch2/catch.hpp>

#include <date/date.h>

#include "bot/web/key_result_history.hpp"

using namespace okr;
using bot::web::weekly_points;

namespace {

dialogs::TimePoint at(date::sys_days day, int hour = 9) {
  return dialogs::TimePoint{day.time_since_epoch()} + std::chrono::hours{hour};
}

dialogs::Cycle quarter() {
  dialogs::Cycle c;
  c.starts_at = at(date::sys_days{date::year{2026} / 10 / 1}, 0);
  c.ends_at = at(date::sys_days{date::year{2027} / 1 / 1}, 0);
  c.label = "2026-Q4";
  return c;
}

dialogs::CheckIn check_in(dialogs::Id id, dialogs::TimePoint when, double value, int confidence) {
  dialogs::CheckIn c;
  c.id = id;
  c.at = when;
  c.value = value;
  c.confidence = confidence;
  return c;
}

dialogs::KeyResult churn() {  // decreasing: from 6% to 3%
  dialogs::KeyResult kr;
  kr.id = 1;
  kr.text = "Cut churn from 6% to 3%";
  kr.baseline = 6;
  kr.target = 3;
  kr.unit = "%";
  kr.direction = dialogs::Direction::decrease;
  return kr;
}

}  // namespace

TEST_CASE("one point per week with a check-in: the week's last one, in week order", "[web]") {
  const auto cycle = quarter();
  const auto oct1 = date::sys_days{date::year{2026} / 10 / 1};
  const std::vector<dialogs::CheckIn> history = {
      // newest first, as storage returns them
      check_in(4, at(oct1 + date::days{15}), 4.5, 6),  // week 3
      check_in(3, at(oct1 + date::days{8}, 17), 5.0, 5),  // week 2, later the same week
      check_in(2, at(oct1 + date::days{7}), 5.5, 4),      // week 2
      check_in(1, at(oct1), 6.0, 5),                      // week 1
  };
  const auto points = weekly_points(churn(), cycle, history);
  REQUIRE(points.size() == 3);
  CHECK(points[0].week == 1);
  CHECK(points[1].week == 2);
  CHECK(points[1].confidence == 5);  // the later check-in of week 2
  CHECK(points[1].value == 5.0);
  CHECK(points[1].progress == Approx(1.0 / 3));  // decreasing target: 6 -> 5 is a third of the way
  CHECK(points[2].week == 3);
  CHECK(points[2].progress == Approx(0.5));
}

TEST_CASE("check-ins outside the cycle are not drawn, and a gap stays a gap", "[web]") {
  const auto cycle = quarter();
  const auto oct1 = date::sys_days{date::year{2026} / 10 / 1};
  const std::vector<dialogs::CheckIn> history = {
      check_in(1, at(oct1 - date::days{3}), 6.0, 5),
      check_in(2, at(oct1 + date::days{1}), 5.8, 5),
      check_in(3, at(oct1 + date::days{29}), 5.0, 6),  // week 5; weeks 2-4 without check-ins
      check_in(4, at(date::sys_days{date::year{2027} / 1 / 2}), 3.0, 9),
  };
  const auto points = weekly_points(churn(), cycle, history);
  REQUIRE(points.size() == 2);
  CHECK(points[0].week == 1);
  CHECK(points[1].week == 5);
}

TEST_CASE("the chart's range is the cycle's weeks, rounded up", "[web]") {
  CHECK(bot::web::weeks_in(quarter()) == 14);  // 92 days
  auto cycle = quarter();
  cycle.ends_at = cycle.starts_at + date::days{91};
  CHECK(bot::web::weeks_in(cycle) == 13);
  const auto json = bot::web::history_json(churn(), cycle, {});
  CHECK(json["weeks"] == 13);
  CHECK(json["points"].empty());
  CHECK(json["key_result"]["direction"] == "decrease");
  CHECK(json["cycle"]["starts_at"] == "2026-10-01T00:00:00Z");
}
