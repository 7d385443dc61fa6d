// The serve-side scheduler thread on the real clock: it fires what is due at start, wakes on
// notify() for a schedule changed in this process, and stops cleanly. Waits poll with a generous
// deadline only so a broken loop fails instead of hanging (no timing assertions).
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "bot/pipeline/clock.hpp"
#include "bot/pipeline/scheduler_loop.hpp"
#include "storage/database.hpp"
#include "storage/outbox.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;
namespace pipeline = okr::bot::pipeline;

namespace {

storage::Database open(const test::TempDir& dir) {
  auto db = storage::Database::open((dir / "okr.db").string());
  db.migrate();
  return db;
}

// A weekly Slack nudge for `user`, moved to be due one minute ago.
void due_now(storage::Database& db, const std::string& user) {
  dialogs::Person p;
  p.platform = "slack";
  p.workspace = "T1";
  p.user_ref = user;
  dialogs::Schedule s;
  s.person_id = storage::People(db).find_or_create(p).id;
  s.recurrence = dialogs::Weekly{{0, 1, 2, 3, 4, 5, 6}, {0, 0}};
  storage::Schedules schedules(db);
  const auto added = schedules.add(s, pipeline::system_now());
  schedules.set_next_due(added.id, pipeline::system_now() - std::chrono::minutes{1});
}

bool eventually(const std::function<bool()>& condition) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds{20};
  while (std::chrono::steady_clock::now() < give_up) {
    if (condition())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  return condition();
}

}  // namespace

TEST_CASE("the scheduler thread fires what is due, wakes when told, and stops", "[pipeline][scheduler_loop]") {
  test::TempDir dir;
  auto db = open(dir);        // the test's connection
  auto loop_db = open(dir);   // the loop's own
  due_now(db, "U1");
  std::atomic<int> wakes{0};
  pipeline::SchedulerLoop loop(loop_db, {}, pipeline::system_now, [&] { ++wakes; },
                               std::chrono::hours{1});
  loop.start();
  CHECK(eventually([&] { return storage::Outbox(db).depth() == 1; }));
  CHECK(eventually([&] { return wakes.load() >= 1; }));

  // Without notify() the loop would sleep for an hour (its recheck) or until tomorrow's nudge.
  due_now(db, "U2");
  loop.notify();
  CHECK(eventually([&] { return storage::Outbox(db).depth() == 2; }));
  loop.stop();
  loop.stop();  // idempotent
}
