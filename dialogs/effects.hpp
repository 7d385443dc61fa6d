#pragma once
// Domain changes a turn asks for. The engine never writes anything: the caller persists these
// together with the new dialog state (and the outbound messages) in one transaction.
#include <variant>
#include <vector>

#include "dialogs/domain.hpp"

namespace okr::dialogs {

struct SaveObjective {
  Objective objective;  // id 0: new; person, team and cycle ids filled from the Context
};
struct SaveCheckIns {
  std::vector<CheckIn> check_ins;  // one per key result answered
};
struct SaveReflection {
  Reflection reflection;
};
struct SaveTeamSettings {
  Id team_id = 0;
  ProgramSettings settings;
};

using Effect = std::variant<SaveObjective, SaveCheckIns, SaveReflection, SaveTeamSettings>;

}  // namespace okr::dialogs
