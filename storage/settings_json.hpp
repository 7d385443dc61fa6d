#pragma once
// Team program settings <-> the JSON text stored in teams.settings. Reading is forgiving: a
// missing or mistyped key takes the default, so settings written by an older binary (or a new
// parameter added later) never make a team unreadable.
#include <string>
#include <string_view>

#include "dialogs/domain.hpp"

namespace okr::storage {

std::string settings_to_json(const dialogs::ProgramSettings& settings);
dialogs::ProgramSettings settings_from_json(std::string_view text);

}  // namespace okr::storage
