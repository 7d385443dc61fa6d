#include "dialogs/context.hpp"

#include <algorithm>

namespace okr::dialogs {

bool may_set_up_team(const Context& context) {
  if (!context.team)
    return false;
  return std::any_of(context.roles.begin(), context.roles.end(),
                     [](Role r) { return r == Role::coach || r == Role::admin; });
}

}  // namespace okr::dialogs
