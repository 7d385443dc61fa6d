#include <catch2/catch.hpp>

#include "dialogs/domain_names.hpp"

using namespace okr::dialogs;

TEST_CASE("every domain enum value reads back from its own name", "[domain]") {
  for (auto role : {Role::member, Role::coach, Role::manager, Role::admin})
    CHECK(role_from(to_string(role)) == role);
  for (auto kind : {KeyResultKind::metric, KeyResultKind::baseline, KeyResultKind::milestone})
    CHECK(key_result_kind_from(to_string(kind)) == kind);
  for (auto direction : {Direction::increase, Direction::decrease})
    CHECK(direction_from(to_string(direction)) == direction);
}

TEST_CASE("the names are the lower-case words stored in the database", "[domain]") {
  CHECK(to_string(Role::manager) == "manager");
  CHECK(to_string(KeyResultKind::milestone) == "milestone");
  CHECK(to_string(Direction::decrease) == "decrease");
}

TEST_CASE("a name this binary does not know is not guessed", "[domain]") {
  CHECK_FALSE(role_from("owner").has_value());
  CHECK_FALSE(key_result_kind_from("Metric").has_value());
  CHECK_FALSE(direction_from("").has_value());
}
