// Long-poll waiters of the web page: woken by a new log entry, at their deadline, or on stop,
// each exactly once; and the web sender wakes them when it logs a coach message.
#include <atomic>
#include <chrono>
#include <future>
#include <string>

#include <catch2/catch.hpp>

#include "bot/web/conversation_waiters.hpp"
#include "bot/web/web_sender.hpp"
#include "storage/database.hpp"
#include "storage/outbox.hpp"
#include "tests/support/temp_dir.hpp"

using okr::bot::web::ConversationWaiters;
using namespace std::chrono_literals;

namespace {

// Far enough away that only a notify or a stop can be what wakes a waiter.
ConversationWaiters::Clock::time_point far_away() {
  return ConversationWaiters::Clock::now() + 1h;
}

// Records who woke and how often; the future is ready after the first wake.
struct Woken {
  std::atomic<int> times{0};
  std::promise<void> first;
  ConversationWaiters::Wake wake() {
    return [this] {
      if (++times == 1)
        first.set_value();
    };
  }
  bool arrived(std::future<void>& f) { return f.wait_for(20s) == std::future_status::ready; }
};

}  // namespace

TEST_CASE("a waiter wakes when its person's log grows, and only then", "[web][waiters]") {
  ConversationWaiters waiters(8);
  waiters.start();
  Woken mine;
  Woken other;
  auto mine_done = mine.first.get_future();
  auto other_done = other.first.get_future();
  REQUIRE(waiters.wait("ana", waiters.stamp("ana"), far_away(), mine.wake()));
  REQUIRE(waiters.wait("ben", waiters.stamp("ben"), far_away(), other.wake()));
  waiters.notify("ana");
  REQUIRE(mine.arrived(mine_done));
  CHECK(other.times == 0);
  CHECK(waiters.waiting() == 1);
  waiters.stop();
  CHECK(mine.times == 1);
  CHECK(other.times == 1);  // stop answers everyone still waiting
}

TEST_CASE("an entry logged between reading the log and waiting wakes the waiter at once",
          "[web][waiters]") {
  ConversationWaiters waiters(8);
  waiters.start();
  const auto seen = waiters.stamp("ana");
  waiters.notify("ana");  // appended after the read, before the wait
  Woken woken;
  auto done = woken.first.get_future();
  REQUIRE(waiters.wait("ana", seen, far_away(), woken.wake()));
  REQUIRE(woken.arrived(done));
  waiters.stop();
  CHECK(woken.times == 1);
}

TEST_CASE("a waiter with nothing new wakes at its deadline", "[web][waiters]") {
  ConversationWaiters waiters(8);
  waiters.start();
  Woken woken;
  auto done = woken.first.get_future();
  REQUIRE(waiters.wait("ana", waiters.stamp("ana"), ConversationWaiters::Clock::now() + 50ms,
                       woken.wake()));
  REQUIRE(woken.arrived(done));
  CHECK(waiters.waiting() == 0);
}

TEST_CASE("beyond the limit a wait is refused and its wake is not kept", "[web][waiters]") {
  ConversationWaiters waiters(2);
  waiters.start();
  Woken a, b, c;
  CHECK(waiters.wait("ana", 0, far_away(), a.wake()));
  CHECK(waiters.wait("ana", 0, far_away(), b.wake()));
  CHECK_FALSE(waiters.wait("ana", 0, far_away(), c.wake()));
  waiters.stop();
  CHECK(a.times == 1);
  CHECK(b.times == 1);
  CHECK(c.times == 0);
}

TEST_CASE("after stop a wait is answered at once on the caller's thread", "[web][waiters]") {
  ConversationWaiters waiters(2);
  waiters.start();
  waiters.stop();
  Woken woken;
  CHECK(waiters.wait("ana", 0, far_away(), woken.wake()));
  CHECK(woken.times == 1);
}

TEST_CASE("a wake that throws does not stop the others", "[web][waiters]") {
  ConversationWaiters waiters(4);
  waiters.start();
  Woken after;
  auto done = after.first.get_future();
  REQUIRE(waiters.wait("ana", 0, far_away(), [] { throw std::runtime_error("broken wake"); }));
  REQUIRE(waiters.wait("ana", 0, far_away(), after.wake()));
  waiters.notify("ana");
  REQUIRE(after.arrived(done));
}

TEST_CASE("the web sender names the person after logging a coach message", "[web][waiters]") {
  okr::test::TempDir dir;
  auto db = okr::storage::Database::open((dir / "coach.db").string());
  db.migrate();
  std::string named;
  okr::bot::web::WebSender sender(
      db, [] { return okr::dialogs::TimePoint{std::chrono::seconds{1'790'000'000}}; },
      [&named](const std::string& person) { named = person; });
  okr::storage::OutboxRow row;
  row.id = 3;
  row.address.platform = "web";
  row.address.workspace = "local";
  row.address.conversation = "you";
  row.address.user = "you";
  row.message.text = "How is it going?";
  REQUIRE(sender.send(row).kind == okr::bot::pipeline::SendOutcome::Kind::sent);
  CHECK(named == "you");
}
