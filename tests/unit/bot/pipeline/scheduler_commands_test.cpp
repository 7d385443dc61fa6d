// `schedule`, `schedules`, `unschedule`, `snooze`, `skip` and the nudge's buttons, through the
// real TurnRunner and a real database.
#include <catch2/catch.hpp>

#include <date/date.h>

#include "bot/pipeline/turn_runner.hpp"
#include "config/shipped_dialogs.hpp"
#include "dialogs/schedule_nudge.hpp"
#include "storage/database.hpp"
#include "storage/dialog_instances.hpp"
#include "storage/memberships.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
#include "storage/teams.hpp"
#include "tests/support/clock_text.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;
namespace pipeline = okr::bot::pipeline;

using okr::test::iso;
using okr::test::utc;

namespace {

// A Slack team "Platform": U1 coach (first to join, Europe/Berlin), U2 and U3 members
// (Asia/Kolkata and UTC), U9 a stranger; the clock is Wed 2026-11-25 12:00 UTC.
struct Fixture {
  test::TempDir dir;
  storage::Database db = open(dir);
  dialogs::DialogCatalog catalog = dialogs::load_catalog(config::shipped_dialogs(), "").catalog;
  dialogs::TimePoint now = utc("2026-11-25T12:00");
  dialogs::Id team_id = 0;

  Fixture() {
    team_id = storage::Teams(db).find_or_create("Platform").id;
    add("U1", "Europe/Berlin");
    add("U2", "Asia/Kolkata");
    add("U3", "UTC");
    storage::People(db).find_or_create(identity("U9"));
  }
  static storage::Database open(const test::TempDir& dir) {
    auto db = storage::Database::open((dir / "okr.db").string());
    db.migrate();
    return db;
  }
  static dialogs::Person identity(const std::string& user) {
    dialogs::Person p;
    p.platform = "slack";
    p.workspace = "T1";
    p.user_ref = user;
    return p;
  }
  void add(const std::string& user, const std::string& zone) {
    const auto p = storage::People(db).find_or_create(identity(user));
    storage::People(db).update_profile(p.id, user, zone);
    storage::Memberships(db).join(team_id, p.id);
  }
  dialogs::Id id_of(const std::string& user) {
    return storage::People(db).find("slack", "T1", user)->id;
  }
  std::string say(const std::string& user, const std::string& text) {
    dialogs::Inbound m;
    m.platform = "slack";
    m.workspace = "T1";
    m.user = user;
    m.conversation = "slash:" + user;
    m.text = text;
    return all(m);
  }
  std::string click(const std::string& user, const std::string& value) {
    dialogs::Inbound m;
    m.platform = "slack";
    m.workspace = "T1";
    m.user = user;
    m.conversation = user;
    m.action = dialogs::Action{dialogs::kSayQuestion, value};
    return all(m);
  }
  std::string all(const dialogs::Inbound& m) {
    pipeline::TurnRunner runner(db, catalog, [this] { return now; });
    std::string out;
    for (const auto& reply : runner.run(m))
      out += reply.text + "\n";
    return out;
  }
  std::vector<dialogs::Schedule> custom() {
    std::vector<dialogs::Schedule> out;
    for (const auto& s : storage::Schedules(db).of_team(team_id))
      if (!s.team_default)
        out.push_back(s);
    return out;
  }
};

}  // namespace

TEST_CASE("a member schedules their own check-ins in their own time zone", "[pipeline][schedule]") {
  Fixture f;
  const auto reply = f.say("U2", "schedule checkin for me every mon,wed at 09:00");
  const auto saved = f.custom();
  REQUIRE(saved.size() == 1);
  CHECK(saved[0].person_id == f.id_of("U2"));
  CHECK(saved[0].created_by == f.id_of("U2"));
  CHECK(saved[0].time_zone == "Asia/Kolkata");
  CHECK(iso(saved[0].next_due_at) == "2026-11-30T03:30");
  CHECK_THAT(reply, Catch::Contains("every Mon, Wed at 09:00"));
  CHECK_THAT(reply, Catch::Contains("Mon 30 Nov 2026, 09:00 (Asia/Kolkata)"));
  CHECK_THAT(reply, Catch::Contains("unschedule " + std::to_string(saved[0].id)));
}

TEST_CASE("a member cannot schedule for someone else or the team", "[pipeline][schedule]") {
  Fixture f;
  CHECK_THAT(f.say("U2", "schedule reflect for @U3 every fri at 16:00"),
             Catch::Contains("Only a coach or admin"));
  CHECK_THAT(f.say("U2", "schedule reflect for team every fri at 16:00"),
             Catch::Contains("Only a coach or admin"));
  CHECK_THAT(f.say("U2", "schedule digest for me every fri at 16:00"),
             Catch::Contains("managers, coaches and admins"));
  CHECK(f.custom().empty());
}

TEST_CASE("a coach schedules a reflection for a member, read in the member's zone",
          "[pipeline][schedule]") {
  Fixture f;
  const auto reply = f.say("U1", "schedule reflect for @U2 on 2026-12-18 at 15:00");
  const auto saved = f.custom();
  REQUIRE(saved.size() == 1);
  CHECK(saved[0].kind == dialogs::ScheduleKind::reflect);
  CHECK(saved[0].person_id == f.id_of("U2"));
  CHECK(saved[0].created_by == f.id_of("U1"));
  CHECK(iso(saved[0].next_due_at) == "2026-12-18T09:30");  // 15:00 IST
  CHECK_THAT(reply, Catch::Contains("@U2"));
  // The first run is shown in the coach's own zone (Berlin).
  CHECK_THAT(reply, Catch::Contains("Fri 18 Dec 2026, 10:30 (Europe/Berlin)"));

  CHECK_THAT(f.say("U1", "schedule reflect for @U9 every fri at 16:00"),
             Catch::Contains("isn't in Platform"));
  f.say("U1", "schedule reflect for team at end of cycle");
  CHECK(f.custom().size() == 2);
  CHECK(iso(f.custom()[1].next_due_at) == "2026-12-31T16:00");  // the team zone: UTC by default
}

TEST_CASE("unreadable schedule text shows the accepted forms and saves nothing",
          "[pipeline][schedule]") {
  Fixture f;
  const auto reply = f.say("U2", "schedule checkin for me every someday at noon");
  CHECK_THAT(reply, Catch::Contains("schedule checkin for me every mon,wed at 09:00"));
  CHECK_THAT(f.say("U2", "schedule"), Catch::Contains("Here is how I read a schedule"));
  CHECK_THAT(f.say("U2", "schedule reflect for me on 2026-11-01 at 09:00"),
             Catch::Contains("already passed"));
  CHECK_THAT(f.say("U1", "schedule reflect for team every fri at 16:00 with no-such-set"),
             Catch::Contains("no-such-set"));
  CHECK(f.custom().empty());
}

TEST_CASE("schedules lists what reaches you with the next run in your zone",
          "[pipeline][schedule]") {
  Fixture f;
  f.say("U2", "schedule checkin for me every mon at 09:00");
  f.say("U1", "schedule reflect for team every fri at 16:00");
  f.say("U1", "schedule reflect for @U3 every thu at 10:00");
  const auto listed = f.say("U2", "schedules");
  CHECK_THAT(listed, Catch::Contains("times in Asia/Kolkata"));
  CHECK_THAT(listed, Catch::Contains("check-in nudge, every Mon at 09:00"));
  CHECK_THAT(listed, Catch::Contains("next Mon 30 Nov 2026, 09:00 (Asia/Kolkata)"));
  CHECK_THAT(listed, Catch::Contains("reflection prompt, every Fri at 16:00 (whole team)"));
  CHECK_THAT(listed, !Catch::Contains("every Thu"));
  CHECK_THAT(f.say("U9", "schedules"), Catch::Contains("Nothing is scheduled for you"));
}

TEST_CASE("the team's digest is listed for its managers only", "[pipeline][schedule]") {
  Fixture f;
  storage::sync_default_schedules(f.db, f.team_id, f.now);
  storage::Memberships(f.db).grant(f.team_id, f.id_of("U3"), dialogs::Role::manager);
  CHECK_THAT(f.say("U3", "schedules"),
             Catch::Contains("team digest, every Fri at 16:00 (the team's managers)"));
  const auto member = f.say("U2", "schedules");
  CHECK_THAT(member, !Catch::Contains("team digest"));
  CHECK_THAT(member, Catch::Contains("check-in nudge, every Mon at 09:00"));
  CHECK_THAT(member, Catch::Contains("check-in reminder, every Tue at 09:00"));
}

TEST_CASE("unschedule stops your own schedule, and a coach can stop any in the team",
          "[pipeline][schedule]") {
  Fixture f;
  f.say("U2", "schedule checkin for me every mon at 09:00");
  f.say("U3", "schedule checkin for me every tue at 09:00");
  const auto mine = f.custom()[0].id;
  const auto theirs = f.custom()[1].id;
  CHECK_THAT(f.say("U2", "unschedule " + std::to_string(theirs)), Catch::Contains("isn't yours"));
  CHECK(storage::Schedules(f.db).by_id(theirs));
  CHECK_THAT(f.say("U2", "unschedule " + std::to_string(mine)), Catch::Contains("Stopped"));
  CHECK_FALSE(storage::Schedules(f.db).by_id(mine));
  CHECK_THAT(f.say("U1", "unschedule #" + std::to_string(theirs)), Catch::Contains("Stopped"));
  CHECK_THAT(f.say("U1", "unschedule 999"), Catch::Contains("no active schedule 999"));
  CHECK_THAT(f.say("U1", "unschedule soon"), Catch::Contains("Which one?"));
}

TEST_CASE("the nudge's Start button begins its dialog like typing it", "[pipeline][schedule]") {
  Fixture f;
  // Without key results the check-in dialog itself explains there is nothing to check in on
  // (rather than the general menu a stray click would get).
  CHECK_THAT(f.click("U2", "checkin"), Catch::Contains("nothing to check in on"));
  f.click("U2", "reflect");
  const auto active = storage::DialogInstances(f.db).active(f.id_of("U2"), "U2");
  REQUIRE(active);
  CHECK(active->dialog == "reflect");
}

TEST_CASE("Snooze 2h asks again two hours later in the person's zone", "[pipeline][schedule]") {
  Fixture f;
  const auto reply = f.click("U2", "snooze");
  CHECK_THAT(reply, Catch::Contains("19:30"));  // 14:00 UTC is 19:30 in Kolkata
  const auto saved = f.custom();
  REQUIRE(saved.size() == 1);
  CHECK(saved[0].kind == dialogs::ScheduleKind::checkin);
  CHECK(iso(saved[0].next_due_at) == "2026-11-25T14:00");
}

TEST_CASE("Skip this week moves this week's reminder on by a week", "[pipeline][schedule]") {
  Fixture f;
  storage::sync_default_schedules(f.db, f.team_id, f.now);
  auto reminder_of = [&](const std::string& user) {
    for (const auto& s : storage::Schedules(f.db).of_team(f.team_id))
      if (s.kind == dialogs::ScheduleKind::reminder && s.person_id == f.id_of(user))
        return s;
    FAIL("no reminder");
    return dialogs::Schedule{};
  };
  REQUIRE(iso(reminder_of("U3").next_due_at) == "2026-12-01T09:00");
  CHECK_THAT(f.click("U3", "skip"), Catch::Contains("skipping this week"));
  CHECK(iso(reminder_of("U3").next_due_at) == "2026-12-08T09:00");
  CHECK(iso(reminder_of("U2").next_due_at) == "2026-12-01T03:30");
}
