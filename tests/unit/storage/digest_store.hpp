#pragma once
// Writes the digest fixture team (tests/unit/dialogs/digest_fixture.hpp) into a real database
// through the repositories, as the product would have stored it. Returns the team's id.
// Header-only so the storage, bot and integration tests can all use it.
#include <map>
#include <string>

#include "storage/check_ins.hpp"
#include "storage/cycles.hpp"
#include "storage/memberships.hpp"
#include "storage/objectives.hpp"
#include "storage/people.hpp"
#include "storage/teams.hpp"
#include "tests/unit/dialogs/digest_fixture.hpp"

namespace okr::digest_fixture {

struct StoredFixture {
  dialogs::Id team_id = 0;
  std::map<dialogs::Id, dialogs::Id> people;  // fixture id -> stored id
};

inline StoredFixture store_fixture(storage::Database& db, const Fixture& f, const std::string& team_name = "Platform") {
  StoredFixture out;
  const auto team = storage::Teams(db).find_or_create(team_name);
  out.team_id = team.id;
  for (const auto& m : f.members) {
    auto identity = m.person;
    identity.id = 0;
    identity.user_ref = team_name + "-" + m.person.user_ref;  // unique across teams in one file
    const auto stored = storage::People(db).find_or_create(identity);
    out.people[m.person.id] = stored.id;
    // "Joined before anyone recorded it" is stored as well before the cycle, so the digests do
    // not depend on the clock of the machine running the test.
    const auto joined = m.joined_at.value_or(f.cycle.starts_at - std::chrono::days{90});
    for (auto role : m.roles) storage::Memberships(db).grant(team.id, stored.id, role, joined);
  }
  const auto cycle = storage::Cycles(db).current(team.id, team.settings, f.cycle.starts_at);
  std::map<dialogs::Id, dialogs::Id> key_results;
  for (const auto& o : f.objectives) {
    auto copy = o;
    copy.id = 0;
    copy.person_id = out.people.at(o.person_id);
    copy.team_id = team.id;
    copy.cycle_id = cycle.id;
    for (auto& kr : copy.key_results) kr.id = 0;
    const auto saved = storage::Objectives(db).add(copy);
    for (std::size_t i = 0; i < o.key_results.size(); ++i) key_results[o.key_results[i].id] = saved.key_results[i].id;
  }
  for (const auto& c : f.check_ins) {
    auto copy = c;
    copy.id = 0;
    copy.key_result_id = key_results.at(c.key_result_id);
    copy.person_id = out.people.at(c.person_id);
    storage::CheckIns(db).record(copy);
  }
  return out;
}

}  // namespace okr::digest_fixture
