// The rows a scheduler pass queues, compared field by field (address, idempotency key, the
// whole message as JSON) with rows built by hand from the nudge texts: sharing one composed
// message between the people of a claim batch must not change what anyone receives.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "bot/pipeline/scheduler.hpp"
#include "dialogs/message_json.hpp"
#include "dialogs/schedule_nudge.hpp"
#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/memberships.hpp"
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

// platform, workspace, conversation, kind, user, idempotency key, message JSON, platform payload
using Row = std::tuple<std::string, std::string, std::string, std::string, std::string,
                       std::string, std::string, std::string>;

Row row_of(const storage::OutboxAddress& a, const dialogs::Outbound& message,
           const std::string& key, const std::string& platform_payload) {
  return {a.platform, a.workspace,    a.conversation, a.kind, a.user,
          key,        nlohmann::json(message).dump(), platform_payload};
}

struct Fixture {
  test::TempDir dir;
  storage::Database db = open(dir);
  dialogs::Id team_id = storage::Teams(db).find_or_create("Platform").id;

  static storage::Database open(const test::TempDir& dir) {
    auto db = storage::Database::open((dir / "okr.db").string());
    db.migrate();
    return db;
  }
  dialogs::Person person(const std::string& platform, const std::string& workspace,
                         const std::string& user) {
    dialogs::Person p;
    p.platform = platform;
    p.workspace = workspace;
    p.user_ref = user;
    p.display_name = "Name of " + user;
    p.time_zone = "Europe/Berlin";
    return storage::People(db).find_or_create(p);
  }
  dialogs::Schedule personal(const dialogs::Person& p, dialogs::ScheduleKind kind,
                             const std::string& dialog) {
    dialogs::Schedule s;
    s.kind = kind;
    s.person_id = p.id;
    s.recurrence = dialogs::Weekly{{1}, {9, 0}};
    s.dialog = dialog;
    return storage::Schedules(db).add(s, utc("2026-11-25T12:00"));
  }
  std::vector<Row> queued() {
    std::vector<Row> rows;
    for (dialogs::Id id = 1;; ++id) {
      const auto row = storage::Outbox(db).find(id);
      if (!row)
        break;
      rows.push_back(row_of(row->address, row->message, row->idempotency_key,
                            row->platform_payload));
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  }
};

Row expected_dm(const dialogs::Person& p, const dialogs::Outbound& message, dialogs::Id schedule,
                dialogs::TimePoint due) {
  storage::OutboxAddress a;
  a.platform = p.platform;
  a.workspace = p.workspace;
  a.conversation = p.user_ref;
  a.kind = "post";
  a.user = p.user_ref;
  return row_of(a, message,
                "schedule-" + std::to_string(schedule) + "-" +
                    std::to_string(storage::to_unix(due)) + "-" + std::to_string(p.id),
                "");
}

}  // namespace

TEST_CASE("a Monday pass queues for each person exactly the DM their own schedule describes",
          "[pipeline][scheduler]") {
  Fixture f;
  const auto u1 = f.person("slack", "T1", "U1");
  const auto u2 = f.person("slack", "T1", "U2");
  const auto u3 = f.person("slack", "T2", "U3");
  const auto tess = f.person("terminal", "local", "tess");
  storage::Memberships(f.db).join(f.team_id, u1.id);
  storage::Memberships(f.db).join(f.team_id, u2.id);
  storage::Memberships(f.db).join(f.team_id, tess.id);
  storage::sync_default_schedules(f.db, f.team_id, utc("2026-11-25T12:00"));
  // Personal schedules due at the same minute, of different kinds and question sets, so one
  // claim batch holds several distinct messages next to repeated ones.
  const auto s1 = f.personal(u1, dialogs::ScheduleKind::checkin, "retro-lite");
  const auto s2 = f.personal(u2, dialogs::ScheduleKind::checkin, "");
  const auto s3 = f.personal(u3, dialogs::ScheduleKind::checkin, "retro-lite");
  const auto s4 = f.personal(u3, dialogs::ScheduleKind::reminder, "");
  const auto s5 = f.personal(tess, dialogs::ScheduleKind::checkin, "");  // no terminal sender

  const auto due = utc("2026-11-30T09:00");
  const auto now = due + std::chrono::seconds{30};
  // The team's defaults are one schedule per member, in the member's zone (Berlin: 08:00 UTC).
  std::vector<Row> expected;
  for (const auto& s : storage::Schedules(f.db).of_team(f.team_id)) {
    if (s.kind != dialogs::ScheduleKind::checkin || !s.next_due_at || *s.next_due_at > now ||
        s.person_id == tess.id)
      continue;
    const auto& p = s.person_id == u1.id ? u1 : u2;
    expected.push_back(expected_dm(p, dialogs::checkin_nudge(), s.id, *s.next_due_at));
  }
  REQUIRE(expected.size() == 2);

  pipeline::SchedulerSettings settings;
  settings.batch = 3;  // several claim batches, each with a mix
  const auto report = pipeline::run_scheduler_pass(f.db, now, settings);

  expected.push_back(expected_dm(u1, dialogs::checkin_nudge("retro-lite"), s1.id, due));
  expected.push_back(expected_dm(u2, dialogs::checkin_nudge(), s2.id, due));
  expected.push_back(expected_dm(u3, dialogs::checkin_nudge("retro-lite"), s3.id, due));
  expected.push_back(expected_dm(u3, dialogs::checkin_reminder(), s4.id, due));
  std::sort(expected.begin(), expected.end());
  CHECK(f.queued() == expected);
  CHECK(report.messages == expected.size());
  (void)s5;
}

TEST_CASE("nudges of many people in one claim batch each carry their own address and key",
          "[pipeline][scheduler]") {
  Fixture f;
  std::vector<std::pair<dialogs::Person, dialogs::Schedule>> everyone;
  for (int i = 0; i < 12; ++i) {
    const auto p = f.person("slack", i % 2 ? "T1" : "T2", "U" + std::to_string(100 + i));
    everyone.emplace_back(p, f.personal(p, dialogs::ScheduleKind::checkin, i % 3 ? "" : "mood"));
  }
  const auto due = utc("2026-11-30T09:00");
  pipeline::run_scheduler_pass(f.db, due, {});

  std::vector<Row> expected;
  for (const auto& [p, s] : everyone)
    expected.push_back(expected_dm(p, dialogs::checkin_nudge(s.dialog), s.id, due));
  std::sort(expected.begin(), expected.end());
  CHECK(f.queued() == expected);
}
