#pragma once
// What a turn may know besides the message: the clock, who is talking, their team's program and
// their stored OKRs. Loaded by the caller before each turn; the engine only reads it.
#include <map>
#include <optional>
#include <vector>

#include "dialogs/domain.hpp"

namespace okr::dialogs {

struct Context {
  TimePoint now{};
  Person person;
  std::optional<Team> team;    // the person's team, if any (its settings drive the linter)
  std::vector<Role> roles;     // the person's roles in that team; setup needs coach or admin
  ProgramSettings settings;    // the team's settings, or the defaults when there is no team
  std::optional<Cycle> cycle;  // the current cycle, when known

  // The person's objectives of the current cycle with their key results, and the latest
  // check-in per key result id (absent when never checked in).
  std::vector<Objective> objectives;
  std::map<Id, CheckIn> latest_checkins;

  std::optional<Reflection> last_reflection;  // from the previous cycle, feeds `draft`
  unsigned idle_days = 7;                     // a dialog idle longer than this is closed; 0: never
};

// True when the person may change the team's program settings.
bool may_set_up_team(const Context& context);

}  // namespace okr::dialogs
