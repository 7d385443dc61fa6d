#pragma once
// A key result's course over its cycle, one point per week: the progress and confidence of the
// last check-in of each week, for the page's chart. Weeks are counted from the cycle's start
// (week 1 = its first seven days), so the x axis means the same for everyone on a team.
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/domain.hpp"

namespace okr::bot::web {

struct WeekPoint {
  int week = 0;  // 1-based week of the cycle
  dialogs::TimePoint at{};
  double value = 0;
  double progress = 0;  // 0..1
  int confidence = 0;   // 1..10
};

// Check-ins in any order; those outside the cycle are left out. Weeks without a check-in have
// no point (a gap is information: nobody checked in).
std::vector<WeekPoint> weekly_points(const dialogs::KeyResult& kr, const dialogs::Cycle& cycle,
                                     const std::vector<dialogs::CheckIn>& check_ins);

// Weeks in the cycle (rounded up), the chart's x range.
int weeks_in(const dialogs::Cycle& cycle);

// {"key_result": {...}, "cycle": {...}, "weeks": N, "points": [...]} for GET /web/api/history.
nlohmann::json history_json(const dialogs::KeyResult& kr, const dialogs::Cycle& cycle,
                            const std::vector<WeekPoint>& points);

}  // namespace okr::bot::web
