#include <SQLiteCpp/Database.h>

#include <catch2/catch.hpp>

#include "storage/memberships.hpp"
#include "storage/people.hpp"
#include "storage/teams.hpp"
#include "temp_store.hpp"

using namespace okr;
using okr::storage::testing::TempStore;
using okr::storage::testing::terminal_person;

TEST_CASE("a person is created once per platform identity and keeps their profile", "[storage][people]") {
  TempStore store;
  storage::People people(store.db());
  auto ada = terminal_person("ada");
  ada.time_zone = "Europe/Berlin";
  const auto first = people.find_or_create(ada);
  CHECK(first.id > 0);
  CHECK(first.display_name == "ada");
  CHECK(first.time_zone == "Europe/Berlin");

  ada.display_name = "Someone else";
  const auto again = people.find_or_create(ada);
  CHECK(again.id == first.id);
  CHECK(again.display_name == "ada");

  auto other_workspace = terminal_person("ada");
  other_workspace.workspace = "elsewhere";
  CHECK(people.find_or_create(other_workspace).id != first.id);
  CHECK_FALSE(people.find("terminal", "local", "bob").has_value());
}

TEST_CASE("finding a stored person needs no write lock", "[storage][people]") {
  TempStore store;
  storage::People people(store.db());
  const auto ada = people.find_or_create(terminal_person("ada"));
  // Another connection holds the write lock, and this one would fail at once on waiting for it.
  auto writer = storage::Database::open(store.file());
  writer.handle().exec("BEGIN IMMEDIATE");
  store.db().handle().setBusyTimeout(0);
  CHECK(people.find_or_create(terminal_person("ada")).id == ada.id);
  CHECK_THROWS_AS(people.find_or_create(terminal_person("bob")), storage::StorageError);
  writer.handle().exec("ROLLBACK");
}

TEST_CASE("a person's profile can be updated and is read back by id", "[storage][people]") {
  TempStore store;
  storage::People people(store.db());
  const auto ada = people.find_or_create(terminal_person("ada"));
  people.update_profile(ada.id, "Ada L.", "America/New_York");
  const auto loaded = people.by_id(ada.id);
  REQUIRE(loaded);
  CHECK(loaded->display_name == "Ada L.");
  CHECK(loaded->time_zone == "America/New_York");
  CHECK_THROWS_AS(people.update_profile(ada.id + 100, "x", "UTC"), storage::StorageError);
}

TEST_CASE("a team is found by name and its program settings round-trip", "[storage][teams]") {
  TempStore store;
  storage::Teams teams(store.db());
  const auto created = teams.find_or_create("Platform");
  CHECK(created.id > 0);
  CHECK(created.settings.max_objectives == 3);  // the defaults COACHING.md names
  CHECK(teams.find_or_create("Platform").id == created.id);

  dialogs::ProgramSettings s;
  s.level = dialogs::OkrLevel::team;
  s.max_objectives = 2;
  s.min_key_results = 3;
  s.max_key_results = 4;
  s.allow_milestone = false;
  s.cycle_months = 6;
  s.checkin_weekday = "tue";
  s.checkin_time = "10:30";
  s.time_zone = "Europe/Paris";
  s.parent_objective = "Customers love our onboarding";
  s.publish_to = "#okrs";
  teams.save_settings(created.id, s);

  const auto loaded = teams.by_name("Platform");
  REQUIRE(loaded);
  CHECK(loaded->settings.level == dialogs::OkrLevel::team);
  CHECK(loaded->settings.max_objectives == 2);
  CHECK(loaded->settings.min_key_results == 3);
  CHECK(loaded->settings.max_key_results == 4);
  CHECK_FALSE(loaded->settings.allow_milestone);
  CHECK(loaded->settings.cycle_months == 6);
  CHECK(loaded->settings.checkin_weekday == "tue");
  CHECK(loaded->settings.checkin_time == "10:30");
  CHECK(loaded->settings.time_zone == "Europe/Paris");
  CHECK(loaded->settings.parent_objective == "Customers love our onboarding");
  CHECK(loaded->settings.publish_to == "#okrs");
  CHECK_THROWS_AS(teams.save_settings(created.id + 50, s), storage::StorageError);
}

TEST_CASE("a person may hold several roles in a team, each once", "[storage][memberships]") {
  TempStore store;
  storage::People people(store.db());
  storage::Teams teams(store.db());
  storage::Memberships memberships(store.db());
  const auto ada = people.find_or_create(terminal_person("ada"));
  const auto bob = people.find_or_create(terminal_person("bob"));
  const auto team = teams.find_or_create("Platform");

  memberships.grant(team.id, ada.id, dialogs::Role::member);
  memberships.grant(team.id, ada.id, dialogs::Role::coach);
  memberships.grant(team.id, ada.id, dialogs::Role::coach);  // idempotent
  memberships.grant(team.id, bob.id, dialogs::Role::member);

  CHECK(memberships.roles(team.id, ada.id) ==
        std::vector<dialogs::Role>{dialogs::Role::member, dialogs::Role::coach});
  CHECK(memberships.holds(team.id, ada.id, dialogs::Role::coach));
  CHECK_FALSE(memberships.holds(team.id, bob.id, dialogs::Role::coach));
  CHECK(memberships.member_count(team.id) == 2);

  const auto members = memberships.members(team.id);
  REQUIRE(members.size() == 2);
  CHECK(members[0].person.user_ref == "ada");
  CHECK(members[0].roles.size() == 2);

  const auto ada_teams = memberships.teams_of(ada.id);
  REQUIRE(ada_teams.size() == 1);
  CHECK(ada_teams[0].name == "Platform");

  memberships.revoke(team.id, ada.id, dialogs::Role::coach);
  CHECK_FALSE(memberships.holds(team.id, ada.id, dialogs::Role::coach));
}

TEST_CASE("a membership of an unknown person is refused as a conflict", "[storage][memberships]") {
  TempStore store;
  storage::Teams teams(store.db());
  storage::Memberships memberships(store.db());
  const auto team = teams.find_or_create("Platform");
  try {
    memberships.grant(team.id, 4242, dialogs::Role::member);
    FAIL("expected a StorageError");
  } catch (const storage::StorageError& e) {
    CHECK(e.code() == storage::StorageError::Code::conflict);
    CHECK_THAT(e.what(), Catch::Contains("person 4242"));
  }
}

TEST_CASE("people, teams and memberships survive reopening the file", "[storage]") {
  TempStore store;
  {
    storage::People people(store.db());
    storage::Teams teams(store.db());
    storage::Memberships memberships(store.db());
    const auto ada = people.find_or_create(terminal_person("ada"));
    const auto team = teams.find_or_create("Platform");
    memberships.grant(team.id, ada.id, dialogs::Role::admin);
  }
  store.reopen();
  storage::People people(store.db());
  storage::Teams teams(store.db());
  storage::Memberships memberships(store.db());
  const auto ada = people.find("terminal", "local", "ada");
  const auto team = teams.by_name("Platform");
  REQUIRE(ada);
  REQUIRE(team);
  CHECK(memberships.holds(team->id, ada->id, dialogs::Role::admin));
}

TEST_CASE("the first person to join a team becomes its coach and admin, later ones members", "[storage][memberships]") {
  TempStore store;
  storage::People people(store.db());
  storage::Memberships memberships(store.db());
  const auto team = storage::Teams(store.db()).find_or_create("Platform");
  const auto ada = people.find_or_create(terminal_person("ada"));
  const auto bob = people.find_or_create(terminal_person("bob"));
  CHECK(memberships.join(team.id, ada.id));
  CHECK_FALSE(memberships.join(team.id, bob.id));
  CHECK_FALSE(memberships.join(team.id, ada.id));  // joining again changes nothing
  CHECK(memberships.roles(team.id, ada.id) ==
        std::vector<dialogs::Role>{dialogs::Role::member, dialogs::Role::coach, dialogs::Role::admin});
  CHECK(memberships.roles(team.id, bob.id) == std::vector<dialogs::Role>{dialogs::Role::member});
}
