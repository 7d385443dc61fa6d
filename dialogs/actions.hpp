#pragma once
// The named C++ steps a dialog file may call from an action node. Each reads the dialog's
// variables and the turn's context, writes variables back, and may ask for domain effects;
// none does I/O.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/context.hpp"
#include "dialogs/effects.hpp"

namespace okr::dialogs {

struct ActionTurn {
  nlohmann::json& variables;
  const Context& context;
  std::vector<Effect>& effects;
};

using ActionStep = void (*)(ActionTurn& turn);

// nullptr for an unknown name.
ActionStep find_action(std::string_view name);
const std::vector<std::string>& action_names();

}  // namespace okr::dialogs
