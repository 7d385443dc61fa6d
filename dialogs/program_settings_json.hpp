#pragma once
// A team's program settings as JSON: the form the database keeps and the `setup` dialog edits.
// Reading is forgiving on purpose: a missing or mistyped key keeps the value from `base`, so
// settings written by an older binary (or a parameter added later) never make a team unreadable.
#include <nlohmann/json.hpp>

#include "dialogs/domain.hpp"

namespace okr::dialogs {

nlohmann::json program_settings_json(const ProgramSettings& settings);
ProgramSettings program_settings_from_json(const nlohmann::json& j, ProgramSettings base = {});

}  // namespace okr::dialogs
