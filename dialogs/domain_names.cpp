#include "dialogs/domain_names.hpp"

#include <array>
#include <utility>

namespace okr::dialogs {
namespace {

// One table per enum: both directions read from it, so a new value is added in one place.
constexpr std::array<std::pair<Role, std::string_view>, 4> role_names{{
    {Role::member, "member"}, {Role::coach, "coach"}, {Role::manager, "manager"},
    {Role::admin, "admin"}}};
constexpr std::array<std::pair<KeyResultKind, std::string_view>, 3> kind_names{{
    {KeyResultKind::metric, "metric"}, {KeyResultKind::baseline, "baseline"},
    {KeyResultKind::milestone, "milestone"}}};
constexpr std::array<std::pair<OkrLevel, std::string_view>, 3> level_names{{
    {OkrLevel::company, "company"}, {OkrLevel::team, "team"},
    {OkrLevel::individual, "individual"}}};
constexpr std::array<std::pair<Direction, std::string_view>, 2> direction_names{{
    {Direction::increase, "increase"}, {Direction::decrease, "decrease"}}};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return table.front().second;
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                             std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Role role) { return name_of(role_names, role); }
std::optional<Role> role_from(std::string_view name) { return value_of(role_names, name); }

std::string_view to_string(KeyResultKind kind) { return name_of(kind_names, kind); }
std::optional<KeyResultKind> key_result_kind_from(std::string_view name) {
  return value_of(kind_names, name);
}

std::string_view to_string(OkrLevel level) { return name_of(level_names, level); }
std::optional<OkrLevel> okr_level_from(std::string_view name) { return value_of(level_names, name); }

std::string_view to_string(Direction direction) { return name_of(direction_names, direction); }
std::optional<Direction> direction_from(std::string_view name) {
  return value_of(direction_names, name);
}

}  // namespace okr::dialogs
