// One scheduler pass over a real database: who gets which nudge, reminders only for those who
// have not checked in, platforms without a sender skipped, and no double sends.
#include <catch2/catch.hpp>

#include <date/date.h>

#include "bot/pipeline/scheduler.hpp"
#include "dialogs/schedule_nudge.hpp"
#include "storage/check_ins.hpp"
#include "storage/cycles.hpp"
#include "storage/database.hpp"
#include "storage/memberships.hpp"
#include "storage/objectives.hpp"
#include "storage/outbox.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
#include "storage/teams.hpp"
#include "tests/support/clock_text.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;
namespace pipeline = okr::bot::pipeline;

using okr::test::utc;

namespace {

// Team "Platform": U1 (coach, member, manager), U2 and U3 members on Slack, "tess" a member in
// the terminal. Check-in Mon 09:00, reminder 24 h later, all in UTC.
struct Fixture {
  test::TempDir dir;
  storage::Database db = open(dir);
  dialogs::Id team_id = storage::Teams(db).find_or_create("Platform").id;

  Fixture() {
    add("slack", "T1", "U1");
    add("slack", "T1", "U2");
    add("slack", "T1", "U3");
    add("terminal", "local", "tess");
    storage::Memberships(db).grant(team_id, id_of("U1"), dialogs::Role::manager);
    storage::sync_default_schedules(db, team_id, utc("2026-11-25T12:00"));
  }
  static storage::Database open(const test::TempDir& dir) {
    auto db = storage::Database::open((dir / "okr.db").string());
    db.migrate();
    return db;
  }
  void add(const std::string& platform, const std::string& workspace, const std::string& user) {
    dialogs::Person p;
    p.platform = platform;
    p.workspace = workspace;
    p.user_ref = user;
    storage::Memberships(db).join(team_id, storage::People(db).find_or_create(p).id);
  }
  dialogs::Id id_of(const std::string& user) {
    return storage::People(db).find("slack", "T1", user)->id;
  }
  std::vector<storage::OutboxRow> queued() {
    std::vector<storage::OutboxRow> rows;
    for (dialogs::Id id = 1;; ++id) {
      auto row = storage::Outbox(db).find(id);
      if (!row)
        break;
      rows.push_back(*row);
    }
    return rows;
  }
  void check_in(const std::string& user, dialogs::TimePoint at) {
    const auto cycle = storage::Cycles(db).current(team_id, {}, at);
    dialogs::Objective o;
    o.person_id = id_of(user);
    o.team_id = team_id;
    o.cycle_id = cycle.id;
    o.text = "Calm releases";
    dialogs::KeyResult kr;
    kr.text = "Rollbacks from 6 to 1";
    kr.baseline = 6;
    kr.target = 1;
    kr.direction = dialogs::Direction::decrease;
    o.key_results.push_back(kr);
    const auto saved = storage::Objectives(db).add(o);
    dialogs::CheckIn c;
    c.key_result_id = saved.key_results.at(0).id;
    c.person_id = o.person_id;
    c.value = 4;
    c.confidence = 6;
    c.at = at;
    storage::CheckIns(db).record(c);
  }
};

std::vector<std::string> recipients(const std::vector<storage::OutboxRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows)
    out.push_back(r.address.conversation);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("the weekly nudge is a DM to each Slack member with Start, Snooze and Skip",
          "[pipeline][scheduler]") {
  Fixture f;
  const auto report = pipeline::run_scheduler_pass(f.db, utc("2026-11-30T09:00"), {});
  CHECK(report.messages == 3);
  const auto rows = f.queued();
  CHECK(recipients(rows) == std::vector<std::string>{"U1", "U2", "U3"});
  const auto& row = rows.at(0);
  CHECK(row.address.platform == "slack");
  CHECK(row.address.workspace == "T1");
  CHECK(row.address.kind == "post");
  CHECK(row.address.user == row.address.conversation);
  CHECK_THAT(row.message.text, Catch::StartsWith("Time for your weekly check-in — ready?"));
  REQUIRE(row.message.question);
  CHECK(row.message.question->id == dialogs::kSayQuestion);
  std::vector<std::string> labels;
  std::vector<std::string> values;
  for (const auto& c : row.message.question->choices) {
    labels.push_back(c.label);
    values.push_back(c.id);
  }
  CHECK(labels == std::vector<std::string>{"Start", "Snooze 2h", "Skip this week"});
  CHECK(values == std::vector<std::string>{"checkin", "snooze", "skip"});
}

TEST_CASE("a second pass for the same instant queues nothing more", "[pipeline][scheduler]") {
  Fixture f;
  pipeline::run_scheduler_pass(f.db, utc("2026-11-30T09:00"), {});
  const auto again = pipeline::run_scheduler_pass(f.db, utc("2026-11-30T09:00"), {});
  CHECK(again.fired == 0);
  CHECK(again.messages == 0);
  CHECK(f.queued().size() == 3);
}

TEST_CASE("the reminder reaches only those who have not checked in since the nudge",
          "[pipeline][scheduler]") {
  Fixture f;
  pipeline::run_scheduler_pass(f.db, utc("2026-11-30T09:00"), {});
  f.check_in("U2", utc("2026-11-30T10:00"));
  f.check_in("U3", utc("2026-11-23T10:00"));  // last week's does not count
  pipeline::run_scheduler_pass(f.db, utc("2026-12-01T09:00"), {});
  auto rows = f.queued();
  rows.erase(rows.begin(), rows.begin() + 3);
  CHECK(recipients(rows) == std::vector<std::string>{"U1", "U3"});
  CHECK_THAT(rows.at(0).message.text, Catch::Contains("still open"));
}

TEST_CASE("a platform without a sender gets nothing, others are not held back",
          "[pipeline][scheduler]") {
  Fixture f;
  pipeline::SchedulerSettings settings;
  settings.platforms = {"terminal", "slack"};
  pipeline::run_scheduler_pass(f.db, utc("2026-11-30T09:00"), settings);
  CHECK(f.queued().size() == 4);
  CHECK(f.queued().back().address.platform == "terminal");
}

TEST_CASE("the cycle-end reflection prompt reaches every member and starts `reflect`",
          "[pipeline][scheduler]") {
  Fixture f;
  // The weekly occurrences before it are weeks late by now (skipped); the cycle end is due.
  const auto report = pipeline::run_scheduler_pass(f.db, utc("2026-12-31T16:00"), {});
  CHECK(report.fired >= 1);
  std::size_t prompts = 0;
  for (const auto& row : f.queued()) {
    if (row.message.text.find("cycle is wrapping up") == std::string::npos)
      continue;
    ++prompts;
    REQUIRE(row.message.question);
    CHECK(row.message.question->choices.at(0).id == "reflect");
  }
  CHECK(prompts == 3);
}

TEST_CASE("after long downtime the missed nudges are skipped, not sent late",
          "[pipeline][scheduler]") {
  Fixture f;
  const auto report = pipeline::run_scheduler_pass(f.db, utc("2026-12-02T12:00"), {});
  CHECK(report.messages == 0);
  CHECK(report.skipped_late >= 3);
  CHECK(f.queued().empty());
}

TEST_CASE("the team digest goes to the team's managers only", "[pipeline][scheduler]") {
  Fixture f;
  f.check_in("U2", utc("2026-11-26T10:00"));
  pipeline::run_scheduler_pass(f.db, utc("2026-11-27T16:00"), {});  // Friday 16:00, team zone UTC
  const auto rows = f.queued();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].address.conversation == "U1");
  CHECK_FALSE(rows[0].message.text.empty());
  CHECK_FALSE(rows[0].message.question);
}

TEST_CASE("a nudge with a custom question set starts that set", "[pipeline][scheduler]") {
  Fixture f;
  dialogs::Schedule s;
  s.kind = dialogs::ScheduleKind::checkin;
  s.person_id = f.id_of("U2");
  s.recurrence = dialogs::OneOff{2026, 11, 26, {10, 0}};
  s.dialog = "retro-lite";
  storage::Schedules(f.db).add(s, utc("2026-11-25T12:00"));
  pipeline::run_scheduler_pass(f.db, utc("2026-11-26T10:00"), {});
  const auto rows = f.queued();
  REQUIRE(rows.size() == 1);
  REQUIRE(rows[0].message.question);
  CHECK(rows[0].message.question->choices.at(0).id == "retro-lite");
}
