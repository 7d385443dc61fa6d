#include <catch2/catch.hpp>

#include "storage/check_ins.hpp"
#include "storage/cycles.hpp"
#include "storage/objectives.hpp"
#include "storage/people.hpp"
#include "storage/reflections.hpp"
#include "storage/teams.hpp"
#include "temp_store.hpp"

using namespace okr;
using okr::storage::testing::at_utc;
using okr::storage::testing::TempStore;
using okr::storage::testing::terminal_person;

namespace {

struct Seeded {
  dialogs::Person person;
  dialogs::Team team;
  dialogs::Cycle cycle;
};

Seeded seed(storage::Database& db) {
  Seeded s;
  s.person = storage::People(db).find_or_create(terminal_person("ada"));
  s.team = storage::Teams(db).find_or_create("Platform");
  s.cycle = storage::Cycles(db).current(s.team.id, s.team.settings, at_utc(2026, 11, 2));
  return s;
}

dialogs::Objective onboarding_objective(const Seeded& s) {
  dialogs::Objective o;
  o.person_id = s.person.id;
  o.team_id = s.team.id;
  o.cycle_id = s.cycle.id;
  o.text = "New customers succeed in their first week";
  o.why = "Churn in month one doubled";
  o.obstacles = "Support is stretched";
  o.support = "Two days of design time";
  o.parent = "Customers love our product";
  o.created_at = at_utc(2026, 11, 2);
  dialogs::KeyResult activation;
  activation.text = "Raise week-one activation from 40% to 60%";
  activation.baseline = 40;
  activation.target = 60;
  activation.unit = "%";
  dialogs::KeyResult tickets;
  tickets.text = "Cut onboarding tickets in half";
  tickets.baseline = 120;
  tickets.target = 60;
  tickets.direction = dialogs::Direction::decrease;
  dialogs::KeyResult guide;
  guide.text = "Ship the setup guide";
  guide.kind = dialogs::KeyResultKind::milestone;
  guide.deadline = "2026-12-15";
  o.key_results = {activation, tickets, guide};
  return o;
}

}  // namespace

TEST_CASE("an objective round-trips with its key results in order", "[storage][objectives]") {
  TempStore store;
  const auto s = seed(store.db());
  storage::Objectives objectives(store.db());
  const auto saved = objectives.add(onboarding_objective(s));
  CHECK(saved.id > 0);
  REQUIRE(saved.key_results.size() == 3);
  CHECK(saved.key_results[2].position == 2);

  const auto loaded = objectives.by_id(saved.id);
  REQUIRE(loaded);
  CHECK(loaded->text == "New customers succeed in their first week");
  CHECK(loaded->why == "Churn in month one doubled");
  CHECK(loaded->obstacles == "Support is stretched");
  CHECK(loaded->support == "Two days of design time");
  CHECK(loaded->parent == "Customers love our product");
  CHECK(loaded->team_id == s.team.id);
  CHECK(loaded->created_at == at_utc(2026, 11, 2));
  REQUIRE(loaded->key_results.size() == 3);
  const auto& activation = loaded->key_results[0];
  CHECK(activation.id == saved.key_results[0].id);
  CHECK(activation.baseline == Approx(40));
  CHECK(activation.target == Approx(60));
  CHECK(activation.unit == "%");
  CHECK(activation.kind == dialogs::KeyResultKind::metric);
  CHECK_FALSE(activation.current.has_value());
  CHECK(loaded->key_results[1].direction == dialogs::Direction::decrease);
  CHECK(loaded->key_results[2].kind == dialogs::KeyResultKind::milestone);
  CHECK_FALSE(loaded->key_results[2].baseline.has_value());
  CHECK(loaded->key_results[2].deadline == std::optional<std::string>("2026-12-15"));

  const auto kr = objectives.key_result(saved.key_results[1].id);
  REQUIRE(kr);
  CHECK(kr->text == "Cut onboarding tickets in half");
}

TEST_CASE("a person's objectives are listed per cycle", "[storage][objectives]") {
  TempStore store;
  const auto s = seed(store.db());
  storage::Objectives objectives(store.db());
  objectives.add(onboarding_objective(s));
  auto second = onboarding_objective(s);
  second.text = "Our releases are boring";
  second.created_at = at_utc(2026, 11, 3);
  objectives.add(second);
  auto personal = onboarding_objective(s);
  personal.team_id = 0;
  personal.cycle_id = storage::Cycles(store.db()).current(0, {}, at_utc(2026, 11, 2)).id;
  objectives.add(personal);

  const auto mine = objectives.of_person(s.person.id, s.cycle.id);
  REQUIRE(mine.size() == 2);
  CHECK(mine[0].text == "New customers succeed in their first week");
  CHECK(mine[1].text == "Our releases are boring");
  CHECK(objectives.of_team(s.team.id, s.cycle.id).size() == 2);
  CHECK(objectives.of_person(s.person.id, personal.cycle_id).at(0).team_id == 0);
}

TEST_CASE("an objective in an unknown cycle is refused and nothing is stored", "[storage][objectives]") {
  TempStore store;
  const auto s = seed(store.db());
  storage::Objectives objectives(store.db());
  auto o = onboarding_objective(s);
  o.cycle_id = 999;
  CHECK_THROWS_AS(objectives.add(o), storage::StorageError);
  CHECK(objectives.of_person(s.person.id, s.cycle.id).empty());
}

TEST_CASE("a check-in moves the key result's current value and keeps its history", "[storage][check-ins]") {
  TempStore store;
  const auto s = seed(store.db());
  storage::Objectives objectives(store.db());
  storage::CheckIns check_ins(store.db());
  const auto saved = objectives.add(onboarding_objective(s));
  const auto kr_id = saved.key_results[0].id;

  dialogs::CheckIn first;
  first.key_result_id = kr_id;
  first.person_id = s.person.id;
  first.value = 45;
  first.confidence = 6;
  first.helped = "The new welcome email";
  first.blockers = "Waiting on analytics";
  first.next_focus = "Fix the signup form";
  first.at = at_utc(2026, 11, 9);
  CHECK(check_ins.record(first).id > 0);
  auto second = first;
  second.value = 52;
  second.confidence = 7;
  second.at = at_utc(2026, 11, 16);
  check_ins.record(second);

  CHECK(objectives.key_result(kr_id)->current == Approx(52));
  const auto latest = check_ins.latest(kr_id);
  REQUIRE(latest);
  CHECK(latest->value == Approx(52));
  CHECK(latest->confidence == 7);
  CHECK(latest->at == at_utc(2026, 11, 16));
  const auto history = check_ins.history(kr_id, 10);
  REQUIRE(history.size() == 2);
  CHECK(history[1].helped == "The new welcome email");
  CHECK(history[1].blockers == "Waiting on analytics");
  CHECK(history[1].next_focus == "Fix the signup form");
  CHECK(check_ins.of_person_since(s.person.id, at_utc(2026, 11, 10)).size() == 1);
  CHECK_FALSE(check_ins.latest(saved.key_results[1].id).has_value());
}

TEST_CASE("a check-in with confidence outside 1-10 is a conflict", "[storage][check-ins]") {
  TempStore store;
  const auto s = seed(store.db());
  const auto saved = storage::Objectives(store.db()).add(onboarding_objective(s));
  dialogs::CheckIn bad;
  bad.key_result_id = saved.key_results[0].id;
  bad.person_id = s.person.id;
  bad.confidence = 11;
  try {
    storage::CheckIns(store.db()).record(bad);
    FAIL("expected a StorageError");
  } catch (const storage::StorageError& e) {
    CHECK(e.code() == storage::StorageError::Code::conflict);
    CHECK_THAT(e.what(), Catch::Contains("check-in"));
  }
}

TEST_CASE("the latest reflection comes back with its scores in key-result order", "[storage][reflections]") {
  TempStore store;
  const auto s = seed(store.db());
  const auto saved = storage::Objectives(store.db()).add(onboarding_objective(s));
  storage::Reflections reflections(store.db());
  CHECK_FALSE(reflections.latest(s.person.id).has_value());

  dialogs::Reflection older;
  older.person_id = s.person.id;
  older.cycle_id = s.cycle.id;
  older.learned = "old lesson";
  older.at = at_utc(2026, 12, 20);
  reflections.add(older);

  dialogs::Reflection r;
  r.person_id = s.person.id;
  r.cycle_id = s.cycle.id;
  r.scores = {{saved.key_results[1].id, 0.5}, {saved.key_results[0].id, 0.7}};
  r.learned = "Small experiments beat big launches";
  r.went_well = "Weekly demos";
  r.do_differently = "Ask support earlier";
  r.stop_habit = "Starting work on Fridays";
  r.carry_forward = "Keep the activation metric";
  r.shared_with_coach = true;
  r.at = at_utc(2026, 12, 28);
  reflections.add(r);

  const auto latest = reflections.latest(s.person.id);
  REQUIRE(latest);
  CHECK(latest->learned == "Small experiments beat big launches");
  CHECK(latest->went_well == "Weekly demos");
  CHECK(latest->do_differently == "Ask support earlier");
  CHECK(latest->stop_habit == "Starting work on Fridays");
  CHECK(latest->carry_forward == "Keep the activation metric");
  CHECK(latest->shared_with_coach);
  CHECK(latest->cycle_id == s.cycle.id);
  REQUIRE(latest->scores.size() == 2);
  CHECK(latest->scores[0].first == saved.key_results[0].id);
  CHECK(latest->scores[0].second == Approx(0.7));
  CHECK(latest->scores[1].second == Approx(0.5));
}

TEST_CASE("a reflection score above 1.0 is refused", "[storage][reflections]") {
  TempStore store;
  const auto s = seed(store.db());
  const auto saved = storage::Objectives(store.db()).add(onboarding_objective(s));
  dialogs::Reflection r;
  r.person_id = s.person.id;
  r.scores = {{saved.key_results[0].id, 1.5}};
  CHECK_THROWS_AS(storage::Reflections(store.db()).add(r), storage::StorageError);
  // The reflection row written before the bad score is rolled back with it.
  CHECK_FALSE(storage::Reflections(store.db()).latest(s.person.id).has_value());
}
