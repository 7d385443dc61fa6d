// Who may see and do what, through the real TurnRunner and every office command: a member
// reads no one else's reflections or check-in words and changes neither the team nor its
// settings; a coach who loses the role mid-setup cannot save it; a manager or coach of team A
// reaches nothing of team B.
#include <catch2/catch.hpp>

#include "bot/pipeline/turn_runner.hpp"
#include "config/shipped_dialogs.hpp"
#include "storage/check_ins.hpp"
#include "storage/cycles.hpp"
#include "storage/database.hpp"
#include "storage/memberships.hpp"
#include "storage/objectives.hpp"
#include "storage/people.hpp"
#include "storage/reflections.hpp"
#include "storage/schedules.hpp"
#include "storage/teams.hpp"
#include "tests/support/clock_text.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;
namespace pipeline = okr::bot::pipeline;
using dialogs::Role;

namespace {

// Team A: A-coach (coach, admin), A-mgr (manager), A-ann and A-bob (members).
// Team B: B-coach (coach), B-mgr (manager), B-eve (member).
// Each member has an objective with a key result and a check-in with a blocker, and a
// reflection, all in words that name their owner.
struct Fixture {
  test::TempDir dir;
  storage::Database db = open(dir);
  dialogs::DialogCatalog catalog = dialogs::load_catalog(config::shipped_dialogs(), "").catalog;
  dialogs::TimePoint now = test::utc("2026-11-25T12:00");
  dialogs::Id team_a = 0;
  dialogs::Id team_b = 0;
  dialogs::Id b_schedule = 0;

  Fixture() {
    team_a = storage::Teams(db).find_or_create("Alpha").id;
    team_b = storage::Teams(db).find_or_create("Bravo").id;
    add(team_a, "A-coach", {Role::coach, Role::admin});
    add(team_a, "A-mgr", {Role::manager});
    add(team_a, "A-ann", {Role::member});
    add(team_a, "A-bob", {Role::member});
    add(team_b, "B-coach", {Role::coach});
    add(team_b, "B-mgr", {Role::manager});
    add(team_b, "B-eve", {Role::member});
    dialogs::Schedule s;
    s.kind = dialogs::ScheduleKind::reflect;
    s.team_id = team_b;
    s.person_id = id_of("B-eve");
    s.created_by = id_of("B-coach");
    s.recurrence = *dialogs::parse_recurrence("weekly fri 16:00");
    b_schedule = storage::Schedules(db).add(s, now).id;
  }
  static storage::Database open(const test::TempDir& dir) {
    auto db = storage::Database::open((dir / "okr.db").string());
    db.migrate();
    return db;
  }
  void add(dialogs::Id team, const std::string& user, std::vector<Role> roles) {
    dialogs::Person identity;
    identity.platform = "slack";
    identity.workspace = "T1";
    identity.user_ref = user;
    identity.display_name = user;
    const auto p = storage::People(db).find_or_create(identity);
    for (auto role : roles) storage::Memberships(db).grant(team, p.id, role, now - std::chrono::days{30});
    if (roles.front() != Role::member)
      return;
    const auto team_row = *storage::Teams(db).by_id(team);
    dialogs::Objective o;
    o.person_id = p.id;
    o.team_id = team;
    o.cycle_id = storage::Cycles(db).current(team, team_row.settings, now).id;
    o.text = "objective words of " + user;
    dialogs::KeyResult kr;
    kr.text = "key result words of " + user;
    kr.baseline = 0;
    kr.target = 10;
    o.key_results.push_back(kr);
    const auto saved = storage::Objectives(db).add(o);
    dialogs::CheckIn c;
    c.key_result_id = saved.key_results.at(0).id;
    c.person_id = p.id;
    c.value = 3;
    c.confidence = 6;
    c.helped = "check-in help words of " + user;
    c.next_focus = "check-in focus words of " + user;
    c.at = now - std::chrono::days{1};
    storage::CheckIns(db).record(c);
    dialogs::Reflection r;
    r.person_id = p.id;
    r.learned = "reflection words of " + user;
    r.at = now - std::chrono::days{1};
    storage::Reflections(db).add(r);
  }
  dialogs::Id id_of(const std::string& user) { return storage::People(db).find("slack", "T1", user)->id; }
  std::string say(const std::string& user, const std::string& text) {
    dialogs::Inbound m;
    m.platform = "slack";
    m.workspace = "T1";
    m.user = user;
    m.conversation = "D-" + user;
    m.text = text;
    pipeline::TurnRunner runner(db, catalog, [this] { return now; });
    std::string out;
    for (const auto& reply : runner.run(m)) out += reply.text + "\n";
    return out;
  }
  // Answers the setup dialog: 7 objectives at most, everything else kept; stops at the
  // summary's "Shall I save" and returns whether it got there.
  bool walk_setup_to_summary(const std::string& user) {
    auto reply = say(user, "setup");
    for (int i = 0; i < 40; ++i) {
      if (reply.find("Shall I save") != std::string::npos)
        return true;
      reply = say(user, reply.find("How many objectives at most") != std::string::npos ? "7" : "ok");
    }
    return false;
  }
  int max_objectives(dialogs::Id team) { return storage::Teams(db).by_id(team)->settings.max_objectives; }
};

}  // namespace

TEST_CASE("a member changes neither the team nor its settings", "[pipeline][authorization]") {
  Fixture f;
  CHECK_THAT(f.say("A-ann", "team add @A-bob admin"), Catch::Contains("Only the coaches and admins"));
  CHECK_THAT(f.say("A-ann", "team remove @A-coach admin"), Catch::Contains("Only the coaches and admins"));
  CHECK(storage::Memberships(f.db).roles(f.team_a, f.id_of("A-bob")) == std::vector<Role>{Role::member});
  CHECK(storage::Memberships(f.db).holds(f.team_a, f.id_of("A-coach"), Role::admin));
  CHECK_THAT(f.say("A-ann", "setup"), Catch::Contains("for its coach or an admin"));
  CHECK(f.max_objectives(f.team_a) == 3);
}

TEST_CASE("a member schedules for no one else and stops no one else's schedule", "[pipeline][authorization]") {
  Fixture f;
  CHECK_THAT(f.say("A-ann", "schedule reflect for @A-bob every fri at 16:00"), Catch::Contains("Only a coach or admin"));
  CHECK_THAT(f.say("A-ann", "schedule checkin for team every mon at 09:00"), Catch::Contains("Only a coach or admin"));
  const auto own = f.say("A-bob", "schedule checkin for me every mon at 09:00");
  const auto bobs = storage::Schedules(f.db).of_team(f.team_a);
  dialogs::Id bob_schedule = 0;
  for (const auto& s : bobs)
    if (s.person_id == f.id_of("A-bob") && !s.team_default)
      bob_schedule = s.id;
  REQUIRE(bob_schedule != 0);
  CHECK_THAT(f.say("A-ann", "unschedule " + std::to_string(bob_schedule)), Catch::Contains("isn't yours to stop"));
  CHECK(storage::Schedules(f.db).by_id(bob_schedule)->state == dialogs::Schedule::State::active);
}

TEST_CASE("a coach who loses the role during setup cannot save the team's settings", "[pipeline][authorization]") {
  Fixture f;
  SECTION("still a coach: saved (the walk itself works)") {
    REQUIRE(f.walk_setup_to_summary("A-coach"));
    CHECK_THAT(f.say("A-coach", "yes"), Catch::Contains("Saved"));
    CHECK(f.max_objectives(f.team_a) == 7);
  }
  SECTION("demoted before confirming: refused, nothing saved") {
    REQUIRE(f.walk_setup_to_summary("A-coach"));
    storage::Memberships(f.db).grant(f.team_a, f.id_of("A-mgr"), Role::admin, f.now);  // someone stays admin
    storage::Memberships(f.db).revoke(f.team_a, f.id_of("A-coach"), Role::coach);
    storage::Memberships(f.db).revoke(f.team_a, f.id_of("A-coach"), Role::admin);
    CHECK_THAT(f.say("A-coach", "yes"), Catch::Contains("for its coach or an admin"));
    CHECK(f.max_objectives(f.team_a) == 3);
  }
}

TEST_CASE("no command shows a member another member's reflection or check-in words", "[pipeline][authorization]") {
  Fixture f;
  std::string seen;
  for (const char* text : {"team", "schedules", "digest", "export", "export @A-bob", "share", "share @A-bob",
                           "forget-me", "my okrs", "help"})
    seen += f.say("A-ann", text);
  CHECK_THAT(seen, Catch::Contains("reflection words of A-ann"));  // the search can succeed
  CHECK(seen.find("reflection words of A-bob") == std::string::npos);
  CHECK(seen.find("check-in help words of A-bob") == std::string::npos);
  CHECK(seen.find("check-in focus words of A-bob") == std::string::npos);
  CHECK(seen.find("B-eve") == std::string::npos);
}

TEST_CASE("a manager or coach of team A reaches nothing of team B", "[pipeline][authorization]") {
  Fixture f;
  const auto digest = f.say("A-mgr", "digest");
  CHECK_THAT(digest, Catch::Contains("Alpha"));
  CHECK(digest.find("Bravo") == std::string::npos);
  CHECK(digest.find("B-eve") == std::string::npos);
  CHECK(f.say("A-mgr", "digest Bravo").find("B-eve") == std::string::npos);

  CHECK(f.say("A-coach", "schedules").find(std::to_string(f.b_schedule) + " ") == std::string::npos);
  CHECK_THAT(f.say("A-coach", "unschedule " + std::to_string(f.b_schedule)), Catch::Contains("isn't yours to stop"));
  CHECK(storage::Schedules(f.db).by_id(f.b_schedule)->state == dialogs::Schedule::State::active);
  CHECK_THAT(f.say("A-coach", "schedule reflect for @B-eve every fri at 16:00"), Catch::Contains("isn't in Alpha"));
  CHECK_THAT(f.say("A-coach", "team remove @B-eve member"), Catch::Contains("nothing changed"));
  CHECK(storage::Memberships(f.db).holds(f.team_b, f.id_of("B-eve"), Role::member));
  std::string everything;
  for (const char* text : {"team", "schedules", "export", "my okrs"}) everything += f.say("A-coach", text);
  CHECK(everything.find("B-eve") == std::string::npos);
  CHECK(everything.find("Bravo") == std::string::npos);
}
