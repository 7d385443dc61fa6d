#pragma once
// `okr-coach demo-data`: a small team with twelve weeks of history, so a first run of the page
// (dashboard, charts, digest) shows something real. Five people (the local web person among
// them, as a manager), three objectives with seven key results (a decreasing one and a
// milestone among them), weekly check-ins with believable noise, and one person who stopped
// checking in after week 7. Deterministic: the same seed and `now` give the same rows.
#include <cstdint>
#include <string>

#include "dialogs/domain.hpp"

namespace okr::storage {
class Database;
}

namespace okr::bot::web {

inline constexpr const char* kDemoTeamName = "Demo team";
inline constexpr int kDemoWeeks = 12;

struct DemoTeamResult {
  bool created = false;  // false: the demo team was already there and nothing was written
  int people = 0;
  int objectives = 0;
  int key_results = 0;
  int check_ins = 0;
  dialogs::Cycle cycle;
};

// Writes everything in one transaction, or nothing. The team's cycle starts on the Monday
// eleven weeks before the week of `now` and lasts thirteen weeks, so `now` falls in its twelfth
// week (with this week's check-ins done) whatever the date. `web_user` is the web person's user id (config.web_user).
DemoTeamResult add_demo_team(storage::Database& db, const std::string& web_user,
                             dialogs::TimePoint now, std::uint32_t seed = 20261);

}  // namespace okr::bot::web
