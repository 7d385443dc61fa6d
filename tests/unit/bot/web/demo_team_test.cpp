#include <catch2/catch.hpp>

#include <date/date.h>

#include "bot/web/demo_team.hpp"
#include "bot/web/key_result_history.hpp"
#include "bot/web/okr_board.hpp"
#include "storage/check_ins.hpp"
#include "storage/database.hpp"
#include "storage/memberships.hpp"
#include "storage/objectives.hpp"
#include "storage/people.hpp"
#include "storage/teams.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;

namespace {

// A Wednesday afternoon.
const dialogs::TimePoint kNow{date::sys_days{date::year{2026} / 11 / 25}.time_since_epoch() +
                              std::chrono::hours{15}};

storage::Database migrated(const test::TempDir& dir, const std::string& name) {
  auto db = storage::Database::open((dir / name).string());
  db.migrate();
  return db;
}

// Every check-in value and confidence of the demo team, in a stable order.
std::vector<std::pair<double, int>> all_check_ins(storage::Database& db) {
  std::vector<std::pair<double, int>> out;
  const auto team = storage::Teams(db).by_name(bot::web::kDemoTeamName);
  const auto scope = bot::web::load_scope(db, "web", "local", "you", kNow);
  for (const auto& o : storage::Objectives(db).of_team(team->id, scope.cycle.id)) {
    for (const auto& kr : o.key_results) {
      for (const auto& c : storage::CheckIns(db).history(kr.id, 100))
        out.emplace_back(c.value, c.confidence);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("the demo team has five people, three objectives and twelve weeks of check-ins", "[web]") {
  test::TempDir dir;
  auto db = migrated(dir, "demo.db");
  const auto result = bot::web::add_demo_team(db, "you", kNow);
  REQUIRE(result.created);
  CHECK(result.people == 5);
  CHECK(result.objectives == 3);
  CHECK(result.key_results == 7);
  CHECK(result.check_ins == 6 * 12 + 7);  // six key results every week, one person silent after 7
  CHECK(result.cycle.starts_at <= kNow);
  CHECK(kNow < result.cycle.ends_at);
  CHECK(bot::web::weeks_in(result.cycle) == 13);

  const auto you = storage::People(db).find("web", "local", "you");
  REQUIRE(you);
  const auto team = storage::Teams(db).by_name(bot::web::kDemoTeamName);
  REQUIRE(team);
  CHECK(storage::Memberships(db).holds(team->id, you->id, dialogs::Role::manager));
  CHECK(storage::Memberships(db).members(team->id).size() == 5);

  const auto scope = bot::web::load_scope(db, "web", "local", "you", kNow);
  CHECK(scope.cycle.id == result.cycle.id);
  const auto board = bot::web::okr_board(db, scope, kNow);
  REQUIRE(board["mine"].size() == 1);
  CHECK(board["team_objectives"].size() == 2);

  bool decreasing = false;
  bool milestone = false;
  for (const auto& o : storage::Objectives(db).of_team(team->id, result.cycle.id)) {
    for (const auto& kr : o.key_results) {
      decreasing = decreasing || kr.direction == dialogs::Direction::decrease;
      milestone = milestone || kr.kind == dialogs::KeyResultKind::milestone;
      const auto points = bot::web::weekly_points(kr, result.cycle, storage::CheckIns(db).history(kr.id, 100));
      CHECK((points.size() == 12 || points.size() == 7));
      for (const auto& c : storage::CheckIns(db).history(kr.id, 100))
        CHECK(c.at <= kNow);
    }
  }
  CHECK(decreasing);
  CHECK(milestone);

  // Dana stopped after week 7: her last check-in is more than four weeks old.
  const auto dana = storage::People(db).find("web", "local", "dana");
  REQUIRE(dana);
  const auto recent = storage::CheckIns(db).of_person_since(dana->id, kNow - date::days{28});
  CHECK(recent.empty());
}

TEST_CASE("demo-data twice changes nothing the second time", "[web]") {
  test::TempDir dir;
  auto db = migrated(dir, "demo.db");
  REQUIRE(bot::web::add_demo_team(db, "you", kNow).created);
  const auto before = all_check_ins(db);
  const auto second = bot::web::add_demo_team(db, "you", kNow);
  CHECK_FALSE(second.created);
  CHECK(all_check_ins(db) == before);
}

TEST_CASE("the same seed and day give the same demo data", "[web]") {
  test::TempDir dir;
  auto first = migrated(dir, "one.db");
  auto second = migrated(dir, "two.db");
  bot::web::add_demo_team(first, "you", kNow);
  bot::web::add_demo_team(second, "you", kNow);
  CHECK(all_check_ins(first) == all_check_ins(second));
}

TEST_CASE("the demo is built around the configured web person", "[web]") {
  test::TempDir dir;
  auto db = migrated(dir, "demo.db");
  REQUIRE(bot::web::add_demo_team(db, "maria", kNow).created);
  const auto scope = bot::web::load_scope(db, "web", "local", "maria", kNow);
  REQUIRE(scope.team);
  CHECK(scope.team->name == bot::web::kDemoTeamName);
  CHECK(bot::web::okr_board(db, scope, kNow)["mine"].size() == 1);
}
