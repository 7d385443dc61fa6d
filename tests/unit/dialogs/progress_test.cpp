#include <catch2/catch.hpp>

#include <chrono>

#include "dialogs/progress.hpp"

using namespace okr::dialogs;
using Catch::Detail::Approx;

namespace {

KeyResult metric(std::optional<double> baseline, double target,
                 Direction direction = Direction::increase) {
  KeyResult kr;
  kr.kind = KeyResultKind::metric;
  kr.baseline = baseline;
  kr.target = target;
  kr.direction = direction;
  return kr;
}

TimePoint day(int n) {
  return TimePoint{std::chrono::hours(24 * n)};
}

}  // namespace

TEST_CASE("progress of an increasing metric is the share of the way from baseline to target",
          "[progress]") {
  const KeyResult kr = metric(40, 60);
  CHECK(*key_result_progress(kr, 50.0) == Approx(0.5));
  CHECK(*key_result_progress(kr, 40.0) == Approx(0.0));
  CHECK(*key_result_progress(kr, 60.0) == Approx(1.0));
}

TEST_CASE("progress is clamped to 0..1 when the value overshoots or goes backwards", "[progress]") {
  const KeyResult kr = metric(40, 60);
  CHECK(*key_result_progress(kr, 75.0) == Approx(1.0));
  CHECK(*key_result_progress(kr, 30.0) == Approx(0.0));
}

TEST_CASE("progress of a decreasing metric counts the way down", "[progress]") {
  const KeyResult kr = metric(5, 3, Direction::decrease);  // churn 5% -> 3%
  CHECK(*key_result_progress(kr, 4.0) == Approx(0.5));
  CHECK(*key_result_progress(kr, 2.5) == Approx(1.0));
  CHECK(*key_result_progress(kr, 6.0) == Approx(0.0));
}

TEST_CASE("without a baseline an increasing metric's progress is current over target",
          "[progress]") {
  CHECK(*key_result_progress(metric(std::nullopt, 500), 125.0) == Approx(0.25));
  CHECK(*key_result_progress(metric(std::nullopt, 500), 900.0) == Approx(1.0));
}

TEST_CASE("without a baseline a decreasing metric's progress is target over current",
          "[progress]") {
  const KeyResult kr = metric(std::nullopt, 3, Direction::decrease);
  CHECK(*key_result_progress(kr, 6.0) == Approx(0.5));
  CHECK(*key_result_progress(kr, 2.0) == Approx(1.0));
}

TEST_CASE("a metric without a target has no progress to report", "[progress]") {
  KeyResult kr;
  kr.kind = KeyResultKind::metric;
  CHECK_FALSE(key_result_progress(kr, 10.0).has_value());
}

TEST_CASE("a metric with no value recorded yet has made no progress", "[progress]") {
  CHECK(*key_result_progress(metric(40, 60), std::nullopt) == Approx(0.0));
}

TEST_CASE("a milestone is 0 until done, 1 when done, or a declared fraction", "[progress]") {
  KeyResult kr;
  kr.kind = KeyResultKind::milestone;
  CHECK(*key_result_progress(kr, std::nullopt) == Approx(0.0));
  CHECK(*key_result_progress(kr, 0.0) == Approx(0.0));
  CHECK(*key_result_progress(kr, 1.0) == Approx(1.0));
  CHECK(*key_result_progress(kr, 0.4) == Approx(0.4));
  CHECK(*key_result_progress(kr, 3.0) == Approx(1.0));
}

TEST_CASE("a baseline key result is done once a first measurement exists", "[progress]") {
  KeyResult kr;
  kr.kind = KeyResultKind::baseline;
  CHECK(*key_result_progress(kr, std::nullopt) == Approx(0.0));
  CHECK(*key_result_progress(kr, 37.0) == Approx(1.0));
}

TEST_CASE("a target equal to the baseline is reached or not", "[progress]") {
  const KeyResult keep = metric(10, 10, Direction::decrease);
  CHECK(*key_result_progress(keep, 9.0) == Approx(1.0));
  CHECK(*key_result_progress(keep, 11.0) == Approx(0.0));
}

TEST_CASE("progress uses the key result's own current value by default", "[progress]") {
  KeyResult kr = metric(0, 200);
  kr.current = 50;
  CHECK(*key_result_progress(kr) == Approx(0.25));
}

TEST_CASE("an objective's progress is the average of its measurable key results", "[progress]") {
  KeyResult a = metric(0, 100);
  a.current = 50;
  KeyResult b;
  b.kind = KeyResultKind::milestone;
  b.current = 1;
  KeyResult unknown;  // no target: left out rather than counted as zero
  unknown.kind = KeyResultKind::metric;
  unknown.current = 3;
  CHECK(*objective_progress({a, b, unknown}) == Approx(0.75));
  CHECK_FALSE(objective_progress({unknown}).has_value());
  CHECK_FALSE(objective_progress({}).has_value());
}

TEST_CASE("change since the last check-in is the difference in progress", "[progress]") {
  const KeyResult kr = metric(40, 60);
  CHECK(*progress_change(kr, 45.0, 50.0) == Approx(0.25));
  CHECK(*progress_change(kr, 50.0, 45.0) == Approx(-0.25));
  CHECK_FALSE(progress_change(kr, std::nullopt, 50.0).has_value());
}

TEST_CASE("the elapsed fraction of a cycle is clamped to its start and end", "[progress]") {
  CHECK(elapsed_fraction(day(0), day(90), day(45)) == Approx(0.5));
  CHECK(elapsed_fraction(day(0), day(90), day(-5)) == Approx(0.0));
  CHECK(elapsed_fraction(day(0), day(90), day(120)) == Approx(1.0));
  CHECK(elapsed_fraction(day(10), day(10), day(10)) == Approx(1.0));
}

TEST_CASE("a key result keeping pace with confident owners is on track", "[progress][risk]") {
  const RiskAssessment r = assess_risk(0.5, 0.5, 6, 6);
  CHECK(r.level == Risk::on_track);
  CHECK(r.reasons.empty());
  CHECK(std::string(to_string(r.level)) == "on track");
}

TEST_CASE("confidence of 4 or less puts a key result at risk", "[progress][risk]") {
  CHECK(assess_risk(0.5, 0.5, 4, std::nullopt).level == Risk::at_risk);
  CHECK(assess_risk(0.5, 0.5, 5, std::nullopt).level == Risk::on_track);
}

TEST_CASE("trailing the elapsed cycle by more than 20 points puts a key result at risk",
          "[progress][risk]") {
  CHECK(assess_risk(0.29, 0.5, 7, std::nullopt).level == Risk::at_risk);
  CHECK(assess_risk(0.30, 0.5, 7, std::nullopt).level == Risk::on_track);  // exactly 20 behind
}

TEST_CASE("a confidence drop of 3 or more since last week puts a key result at risk",
          "[progress][risk]") {
  const RiskAssessment r = assess_risk(0.5, 0.5, 5, 8);
  CHECK(r.level == Risk::at_risk);
  REQUIRE(r.reasons.size() == 1);
  CHECK(r.reasons[0] == RiskReason::confidence_dropped);
  CHECK(assess_risk(0.5, 0.5, 6, 8).level == Risk::on_track);
}

TEST_CASE("far behind or unbelievable key results are off track", "[progress][risk]") {
  CHECK(assess_risk(0.05, 0.5, 7, std::nullopt).level == Risk::off_track);
  CHECK(assess_risk(0.5, 0.5, 2, std::nullopt).level == Risk::off_track);
  CHECK(std::string(to_string(Risk::off_track)) == "off track");
}

TEST_CASE("being ahead of schedule never counts against a key result", "[progress][risk]") {
  CHECK(assess_risk(0.9, 0.2, 7, 7).level == Risk::on_track);
}
