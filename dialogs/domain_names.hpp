#pragma once
// The one spelling of each domain enum, shared by dialog variables, message JSON, rendering and
// the database columns. Parsing returns nullopt for a name this binary does not know, so each
// caller decides whether that is a default (a dialog variable) or an error (a stored row).
#include <optional>
#include <string_view>

#include "dialogs/domain.hpp"

namespace okr::dialogs {

std::string_view to_string(Role role);
std::optional<Role> role_from(std::string_view name);

std::string_view to_string(KeyResultKind kind);
std::optional<KeyResultKind> key_result_kind_from(std::string_view name);

std::string_view to_string(OkrLevel level);
std::optional<OkrLevel> okr_level_from(std::string_view name);

std::string_view to_string(Direction direction);
std::optional<Direction> direction_from(std::string_view name);

}  // namespace okr::dialogs
