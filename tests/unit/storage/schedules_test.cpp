#include <catch2/catch.hpp>

#include <date/date.h>

#include <map>

#include "storage/memberships.hpp"
#include "storage/outbox.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
#include "storage/teams.hpp"
#include "temp_store.hpp"
#include "tests/support/clock_text.hpp"

using namespace okr;
using namespace std::chrono_literals;
using okr::storage::testing::TempStore;
using okr::storage::testing::terminal_person;

using okr::test::iso;
using okr::test::utc;

namespace {

dialogs::Schedule weekly_checkin(dialogs::Id person_id, unsigned weekday, int hour,
                                 std::string zone = "UTC") {
  dialogs::Schedule s;
  s.kind = dialogs::ScheduleKind::checkin;
  s.person_id = person_id;
  s.recurrence = dialogs::Weekly{{weekday}, {hour, 0}};
  s.time_zone = std::move(zone);
  return s;
}

// One DM per firing, addressed to the schedule's person.
storage::ComposeFiring one_post_each(std::vector<dialogs::Id>* fired = nullptr) {
  return [fired](const dialogs::Schedule& s, dialogs::TimePoint) {
    if (fired)
      fired->push_back(s.id);
    storage::OutboxItem item;
    item.address.platform = "slack";
    item.address.workspace = "T1";
    item.address.conversation = "U" + std::to_string(s.person_id);
    item.message.text = "Time for your weekly check-in — ready?";
    return std::vector<storage::OutboxItem>{item};
  };
}

}  // namespace

TEST_CASE("a stored schedule keeps everything and knows its next due instant",
          "[storage][schedules]") {
  TempStore store;
  const auto ana = storage::People(store.db()).find_or_create(terminal_person("ana"));
  auto s = weekly_checkin(ana.id, 1, 9, "Europe/Berlin");
  s.dialog = "retro-lite";
  s.channel = "C42";
  s.created_by = ana.id;
  const auto added = storage::Schedules(store.db()).add(s, utc("2026-11-25T12:00"));
  CHECK(iso(added.next_due_at) == "2026-11-30T08:00");
  store.reopen();
  const auto back = storage::Schedules(store.db()).by_id(added.id);
  REQUIRE(back);
  CHECK(back->kind == dialogs::ScheduleKind::checkin);
  CHECK(back->person_id == ana.id);
  CHECK(back->team_id == 0);
  CHECK(back->channel == "C42");
  CHECK(back->recurrence == dialogs::Recurrence{dialogs::Weekly{{1}, {9, 0}}});
  CHECK(back->time_zone == "Europe/Berlin");
  CHECK(back->dialog == "retro-lite");
  CHECK(back->created_by == ana.id);
  CHECK(iso(back->next_due_at) == "2026-11-30T08:00");
  CHECK(back->state == dialogs::Schedule::State::active);
  CHECK(iso(storage::Schedules(store.db()).next_due()) == "2026-11-30T08:00");
}

TEST_CASE(
    "a claim fires each due schedule once and a second claim at the same instant sends nothing",
    "[storage][schedules]") {
  TempStore store;
  const auto ana = storage::People(store.db()).find_or_create(terminal_person("ana"));
  const auto bo = storage::People(store.db()).find_or_create(terminal_person("bo"));
  storage::Schedules schedules(store.db());
  const auto due = schedules.add(weekly_checkin(ana.id, 1, 9), utc("2026-11-25T12:00"));
  const auto later = schedules.add(weekly_checkin(bo.id, 1, 10), utc("2026-11-25T12:00"));

  const auto now = utc("2026-11-30T09:00");
  std::vector<dialogs::Id> fired;
  const auto first = schedules.claim_due(now, 12h, 100, one_post_each(&fired));
  CHECK(first.fired == 1);
  CHECK(first.messages == 1);
  CHECK(fired == std::vector<dialogs::Id>{due.id});
  CHECK(storage::Outbox(store.db()).depth() == 1);
  CHECK(iso(schedules.by_id(due.id)->next_due_at) == "2026-12-07T09:00");
  CHECK(iso(schedules.by_id(due.id)->last_fired_at) == "2026-11-30T09:00");
  CHECK(iso(schedules.by_id(later.id)->next_due_at) == "2026-11-30T10:00");

  const auto second = schedules.claim_due(now, 12h, 100, one_post_each(&fired));
  CHECK(second.fired == 0);
  CHECK(storage::Outbox(store.db()).depth() == 1);
  CHECK(iso(schedules.next_due()) == "2026-11-30T10:00");
}

TEST_CASE(
    "after downtime a recent occurrence fires once and an old one is skipped, never once per week",
    "[storage][schedules]") {
  TempStore store;
  const auto ana = storage::People(store.db()).find_or_create(terminal_person("ana"));
  storage::Schedules schedules(store.db());
  const auto monday = schedules.add(weekly_checkin(ana.id, 1, 9), utc("2026-11-01T00:00"));
  REQUIRE(iso(monday.next_due_at) == "2026-11-02T09:00");

  SECTION("five hours late: fires once, next is the coming week") {
    const auto report = schedules.claim_due(utc("2026-11-02T14:00"), 12h, 100, one_post_each());
    CHECK(report.fired == 1);
    CHECK(report.skipped.empty());
    CHECK(iso(schedules.by_id(monday.id)->next_due_at) == "2026-11-09T09:00");
  }
  SECTION("three weeks down: nothing is sent for the missed weeks, the skip is reported") {
    const auto report = schedules.claim_due(utc("2026-11-25T12:00"), 12h, 100, one_post_each());
    CHECK(report.fired == 0);
    CHECK(report.messages == 0);
    REQUIRE(report.skipped.size() == 1);
    CHECK(report.skipped[0].schedule_id == monday.id);
    CHECK(iso(report.skipped[0].due) == "2026-11-02T09:00");
    CHECK(storage::Outbox(store.db()).depth() == 0);
    CHECK(iso(schedules.by_id(monday.id)->next_due_at) == "2026-11-30T09:00");
    CHECK(schedules.claim_due(utc("2026-11-25T12:00"), 12h, 100, one_post_each()).skipped.empty());
  }
}

TEST_CASE("a one-off is finished once it fired", "[storage][schedules]") {
  TempStore store;
  const auto ana = storage::People(store.db()).find_or_create(terminal_person("ana"));
  storage::Schedules schedules(store.db());
  auto s = weekly_checkin(ana.id, 1, 9);
  s.kind = dialogs::ScheduleKind::reflect;
  s.recurrence = dialogs::OneOff{2026, 12, 18, {15, 0}};
  const auto added = schedules.add(s, utc("2026-11-25T12:00"));
  CHECK(schedules.claim_due(utc("2026-12-18T15:00"), 12h, 100, one_post_each()).fired == 1);
  const auto after = schedules.by_id(added.id);
  CHECK(after->state == dialogs::Schedule::State::finished);
  CHECK_FALSE(after->next_due_at);
  CHECK_FALSE(schedules.next_due());
}

TEST_CASE("a claim that fails part-way keeps nothing of it", "[storage][schedules]") {
  TempStore store;
  const auto ana = storage::People(store.db()).find_or_create(terminal_person("ana"));
  const auto bo = storage::People(store.db()).find_or_create(terminal_person("bo"));
  storage::Schedules schedules(store.db());
  schedules.add(weekly_checkin(ana.id, 1, 9), utc("2026-11-25T12:00"));
  const auto second = schedules.add(weekly_checkin(bo.id, 1, 9), utc("2026-11-25T12:00"));
  int calls = 0;
  auto failing = [&](const dialogs::Schedule& s, dialogs::TimePoint at) {
    if (++calls == 2)
      throw std::runtime_error("renderer broke");
    return one_post_each()(s, at);
  };
  CHECK_THROWS(schedules.claim_due(utc("2026-11-30T09:00"), 12h, 100, failing));
  CHECK(storage::Outbox(store.db()).depth() == 0);
  CHECK(iso(schedules.by_id(second.id)->next_due_at) == "2026-11-30T09:00");
  CHECK(schedules.claim_due(utc("2026-11-30T09:00"), 12h, 100, one_post_each()).fired == 2);
}

TEST_CASE("a claim takes at most its limit and says there is more", "[storage][schedules]") {
  TempStore store;
  storage::Schedules schedules(store.db());
  for (int i = 0; i < 5; ++i) {
    const auto p =
        storage::People(store.db()).find_or_create(terminal_person("p" + std::to_string(i)));
    schedules.add(weekly_checkin(p.id, 1, 9), utc("2026-11-25T12:00"));
  }
  const auto now = utc("2026-11-30T09:00");
  auto first = schedules.claim_due(now, 12h, 3, one_post_each());
  CHECK(first.fired == 3);
  CHECK(first.more);
  auto rest = schedules.claim_due(now, 12h, 3, one_post_each());
  CHECK(rest.fired == 2);
  CHECK_FALSE(rest.more);
}

TEST_CASE("a cycle-end schedule fires on each cycle's last day", "[storage][schedules]") {
  TempStore store;
  const auto team = storage::Teams(store.db()).find_or_create("Platform");
  dialogs::Schedule s;
  s.kind = dialogs::ScheduleKind::reflect;
  s.team_id = team.id;
  s.recurrence = dialogs::AtCycleEnd{{16, 0}};
  s.time_zone = "UTC";
  storage::Schedules schedules(store.db());
  const auto added = schedules.add(s, utc("2026-11-25T12:00"));
  CHECK(iso(added.next_due_at) == "2026-12-31T16:00");
  schedules.claim_due(utc("2026-12-31T16:00"), 12h, 10, one_post_each());
  CHECK(iso(schedules.by_id(added.id)->next_due_at) == "2027-03-31T16:00");
}

TEST_CASE("the schedules reaching a person are their own and their teams' team-wide ones",
          "[storage][schedules]") {
  TempStore store;
  const auto ana = storage::People(store.db()).find_or_create(terminal_person("ana"));
  const auto bo = storage::People(store.db()).find_or_create(terminal_person("bo"));
  const auto team = storage::Teams(store.db()).find_or_create("Platform");
  const auto other = storage::Teams(store.db()).find_or_create("Sales");
  storage::Schedules schedules(store.db());
  const auto mine = schedules.add(weekly_checkin(ana.id, 2, 9), utc("2026-11-25T12:00"));
  schedules.add(weekly_checkin(bo.id, 1, 9), utc("2026-11-25T12:00"));
  auto team_wide = weekly_checkin(0, 1, 9);
  team_wide.team_id = team.id;
  const auto ours = schedules.add(team_wide, utc("2026-11-25T12:00"));
  team_wide.team_id = other.id;
  schedules.add(team_wide, utc("2026-11-25T12:00"));
  std::vector<dialogs::Id> ids;
  for (const auto& s : schedules.reaching(ana.id, {team.id}))
    ids.push_back(s.id);
  CHECK(ids == std::vector<dialogs::Id>{ours.id, mine.id});
}

TEST_CASE("unscheduling deletes a custom schedule and stops a team default",
          "[storage][schedules]") {
  TempStore store;
  const auto ana = storage::People(store.db()).find_or_create(terminal_person("ana"));
  storage::Schedules schedules(store.db());
  const auto custom = schedules.add(weekly_checkin(ana.id, 1, 9), utc("2026-11-25T12:00"));
  auto d = weekly_checkin(ana.id, 1, 9);
  d.team_default = true;
  const auto team = storage::Teams(store.db()).find_or_create("Platform");
  d.team_id = team.id;
  const auto by_default = schedules.add(d, utc("2026-11-25T12:00"));
  CHECK(schedules.remove(custom.id));
  CHECK_FALSE(schedules.by_id(custom.id));
  CHECK(schedules.remove(by_default.id));
  CHECK(schedules.by_id(by_default.id)->state == dialogs::Schedule::State::stopped);
  CHECK_FALSE(schedules.remove(9999));
  CHECK_FALSE(schedules.next_due());
}

TEST_CASE("a team's defaults follow its settings and members", "[storage][schedules]") {
  TempStore store;
  auto& db = store.db();
  storage::Teams teams(db);
  const auto team = teams.find_or_create("Platform");
  auto settings = team.settings;
  settings.checkin_weekday = "mon";
  settings.checkin_time = "09:00";
  settings.reminder_hours = 24;
  settings.digest_weekday = "fri";
  settings.digest_time = "16:00";
  settings.time_zone = "Europe/Berlin";
  teams.save_settings(team.id, settings);
  auto ana_identity = terminal_person("ana");
  ana_identity.time_zone = "Asia/Kolkata";
  const auto ana = storage::People(db).find_or_create(ana_identity);
  const auto bo = storage::People(db).find_or_create(terminal_person("bo"));  // UTC
  storage::Memberships memberships(db);
  memberships.join(team.id, ana.id);
  memberships.join(team.id, bo.id);
  memberships.grant(team.id, bo.id, dialogs::Role::manager);

  const auto now = utc("2026-11-25T12:00");
  storage::sync_default_schedules(db, team.id, now);
  storage::sync_default_schedules(db, team.id, now);  // idempotent

  auto by_key = [&] {
    std::map<std::pair<std::string, dialogs::Id>, dialogs::Schedule> out;
    for (const auto& s : storage::Schedules(db).of_team(team.id)) {
      CHECK(s.team_default);
      CHECK(out.emplace(std::pair{dialogs::schedule_kind_name(s.kind), s.person_id}, s).second);
    }
    return out;
  };
  auto all = by_key();
  CHECK(all.size() == 6);
  CHECK(iso(all.at({"checkin", ana.id}).next_due_at) == "2026-11-30T03:30");  // 09:00 IST
  CHECK(iso(all.at({"reminder", ana.id}).next_due_at) == "2026-12-01T03:30");
  CHECK(iso(all.at({"checkin", bo.id}).next_due_at) == "2026-11-30T09:00");
  CHECK(iso(all.at({"digest", 0}).next_due_at) == "2026-11-27T15:00");  // 16:00 CET
  CHECK(iso(all.at({"reflect", 0}).next_due_at) == "2026-12-31T15:00");
  const auto bo_checkin_id = all.at({"checkin", bo.id}).id;

  settings.checkin_weekday = "tue";
  settings.reminder_hours = 0;
  teams.save_settings(team.id, settings);
  memberships.revoke(team.id, ana.id, dialogs::Role::member);
  storage::sync_default_schedules(db, team.id, now);
  all = by_key();
  CHECK(all.size() == 3);
  CHECK(all.count({"checkin", ana.id}) == 0);
  CHECK(all.count({"reminder", bo.id}) == 0);
  CHECK(all.at({"checkin", bo.id}).id == bo_checkin_id);
  CHECK(iso(all.at({"checkin", bo.id}).next_due_at) == "2026-12-01T09:00");
}

TEST_CASE("a stopped default stays stopped when the defaults are synced", "[storage][schedules]") {
  TempStore store;
  auto& db = store.db();
  const auto team = storage::Teams(db).find_or_create("Platform");
  const auto ana = storage::People(db).find_or_create(terminal_person("ana"));
  storage::Memberships(db).join(team.id, ana.id);
  storage::sync_default_schedules(db, team.id, utc("2026-11-25T12:00"));
  storage::Schedules schedules(db);
  dialogs::Id digest = 0;
  for (const auto& s : schedules.of_team(team.id))
    if (s.kind == dialogs::ScheduleKind::digest)
      digest = s.id;
  REQUIRE(schedules.remove(digest));
  storage::sync_default_schedules(db, team.id, utc("2026-11-26T12:00"));
  CHECK(schedules.by_id(digest)->state == dialogs::Schedule::State::stopped);
}

TEST_CASE("a reminder hours after a late-week nudge wraps into the next week",
          "[storage][schedules]") {
  TempStore store;
  auto& db = store.db();
  storage::Teams teams(db);
  const auto team = teams.find_or_create("Weekend");
  auto settings = team.settings;
  settings.checkin_weekday = "sat";
  settings.checkin_time = "18:00";
  settings.reminder_hours = 36;
  teams.save_settings(team.id, settings);
  const auto ana = storage::People(db).find_or_create(terminal_person("ana"));
  storage::Memberships(db).join(team.id, ana.id);
  storage::sync_default_schedules(db, team.id, utc("2026-11-25T12:00"));
  for (const auto& s : storage::Schedules(db).of_team(team.id)) {
    if (s.kind == dialogs::ScheduleKind::checkin)
      CHECK(iso(s.next_due_at) == "2026-11-28T18:00");
    if (s.kind == dialogs::ScheduleKind::reminder)
      CHECK(iso(s.next_due_at) == "2026-11-30T06:00");
  }
}

TEST_CASE("unreadable program settings fall back to Monday 09:00 rather than no nudges",
          "[storage][schedules]") {
  TempStore store;
  auto& db = store.db();
  storage::Teams teams(db);
  const auto team = teams.find_or_create("Odd");
  auto settings = team.settings;
  settings.checkin_weekday = "someday";
  settings.time_zone = "Mars/Base";
  teams.save_settings(team.id, settings);
  const auto ana = storage::People(db).find_or_create(terminal_person("ana"));
  storage::Memberships(db).join(team.id, ana.id);
  storage::sync_default_schedules(db, team.id, utc("2026-11-25T12:00"));
  bool seen = false;
  for (const auto& s : storage::Schedules(db).of_team(team.id)) {
    if (s.kind != dialogs::ScheduleKind::checkin)
      continue;
    seen = true;
    CHECK(s.time_zone == "UTC");
    CHECK(iso(s.next_due_at) == "2026-11-30T09:00");
  }
  CHECK(seen);
}
