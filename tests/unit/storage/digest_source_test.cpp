#include <SQLiteCpp/Database.h>

#include <algorithm>
#include <tuple>

#include <catch2/catch.hpp>

#include "dialogs/digest_render.hpp"
#include "storage/digest_source.hpp"
#include "storage/memberships.hpp"
#include "temp_store.hpp"
#include "tests/unit/storage/digest_store.hpp"

using namespace okr;
using namespace okr::digest_fixture;
using okr::storage::testing::TempStore;

TEST_CASE("a digest loaded from the database matches the one composed from the fixture", "[storage][digest]") {
  TempStore store;
  const auto fixture = team_fixture();
  const auto stored = store_fixture(store.db(), fixture);
  for (int week : {45, 47, 51}) {
    const dialogs::IsoWeek iso{2026, week};
    const auto now = utc(2026, 12, 18, 16);
    const auto source = storage::load_digest_source(store.db(), stored.team_id, iso, now);
    REQUIRE(source);
    CHECK(source->cycle.label == "2026-Q4");
    const auto loaded = dialogs::compose_digest(*source);
    const auto expected = dialogs::compose_digest(source_for(fixture, iso, now));
    INFO("week " << week);
    CHECK(loaded.headline == expected.headline);
    CHECK(dialogs::digest_text(loaded) == dialogs::digest_text(expected));
  }
}

TEST_CASE("only members with a check-in inside the week count as checked in", "[storage][digest]") {
  TempStore store;
  const auto stored = store_fixture(store.db(), team_fixture());
  const auto source = storage::load_digest_source(store.db(), stored.team_id, dialogs::IsoWeek{2026, 50},
                                                  utc(2026, 12, 18, 16));
  REQUIRE(source);
  // Week 50: Ana and Cleo checked in; Ben skipped it.
  std::vector<dialogs::Id> expected{stored.people.at(ana), stored.people.at(cleo)};
  std::sort(expected.begin(), expected.end());
  CHECK(source->checked_in_this_week == expected);
}

TEST_CASE("memberships remember when each person joined", "[storage][digest]") {
  TempStore store;
  const auto stored = store_fixture(store.db(), team_fixture());
  const auto members = storage::Memberships(store.db()).members(stored.team_id);
  REQUIRE(members.size() == 6);
  for (const auto& m : members) {
    if (m.person.display_name == "Cleo")
      CHECK(*m.joined_at == utc(2026, 11, 16));
    if (m.person.display_name == "Ana")
      CHECK(*m.joined_at == utc(2026, 9, 1));
  }
}

TEST_CASE("the digest of an unknown team is nothing, of a team without a cycle is empty", "[storage][digest]") {
  TempStore store;
  CHECK_FALSE(storage::load_digest_source(store.db(), 999, dialogs::IsoWeek{2026, 48}, utc(2026, 11, 27)));
  const auto team = storage::Teams(store.db()).find_or_create("Quiet");
  const auto source = storage::load_digest_source(store.db(), team.id, dialogs::IsoWeek{2026, 48}, utc(2026, 11, 27));
  REQUIRE(source);
  CHECK(source->cycle.id == 0);
  CHECK(source->cycle.label == "2026-Q4");
  CHECK(source->objectives.empty());
}

TEST_CASE("a role granted without an instant is stamped by the database clock", "[storage][digest]") {
  TempStore store;
  const auto team = storage::Teams(store.db()).find_or_create("Clocked");
  const auto person = storage::People(store.db()).find_or_create(storage::testing::terminal_person("zoe"));
  storage::Memberships(store.db()).join(team.id, person.id);
  const auto members = storage::Memberships(store.db()).members(team.id);
  REQUIRE(members.size() == 1);
  REQUIRE(members[0].joined_at);
  CHECK(*members[0].joined_at > utc(2020, 1, 1));
}

TEST_CASE("the holders of a role are listed by id", "[storage][digest]") {
  TempStore store;
  const auto stored = store_fixture(store.db(), team_fixture());
  CHECK(storage::Memberships(store.db()).holders(stored.team_id, dialogs::Role::admin) ==
        std::vector<dialogs::Id>{stored.people.at(ana)});
}

TEST_CASE("a digest's check-ins come by key result, time and id even when key results were reordered",
          "[storage][digest]") {
  TempStore store;
  const auto stored = store_fixture(store.db(), team_fixture());
  // Reversing every objective's key result positions makes the query meet its key results in
  // descending id order, which the loader must not pass on.
  store.db().handle().exec("UPDATE key_results SET position = -position");
  const auto source = storage::load_digest_source(store.db(), stored.team_id, dialogs::IsoWeek{2026, 50},
                                                  utc(2026, 12, 18, 16));
  REQUIRE(source);
  REQUIRE(source->check_ins.size() > 2);
  const auto by_key_result_time_id = [](const dialogs::CheckIn& a, const dialogs::CheckIn& b) {
    return std::tie(a.key_result_id, a.at, a.id) < std::tie(b.key_result_id, b.at, b.id);
  };
  CHECK(std::is_sorted(source->check_ins.begin(), source->check_ins.end(), by_key_result_time_id));
}
