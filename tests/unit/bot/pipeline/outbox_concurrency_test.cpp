// The dispatcher's calls of different conversations overlap; one conversation's never do.
#include <algorithm>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bot/pipeline/outbox_dispatcher.hpp"
#include "bot/pipeline/sender_pool.hpp"
#include "config/config.hpp"
#include "storage/database.hpp"
#include "storage/outbox.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;
namespace pipeline = okr::bot::pipeline;
using namespace std::chrono_literals;

namespace {

pipeline::Instant t0() {
  return pipeline::Instant{std::chrono::sys_days{std::chrono::November / 3 / 2026}};
}

// Holds every call until `together` calls are inside send() at the same time, then lets them
// all answer. If they never meet (calls made one after the other) each gives up after
// `give_up_after` and reports the call as failed, so a test fails instead of hanging.
class MeetingSender : public pipeline::MessageSender {
 public:
  explicit MeetingSender(std::size_t together, std::chrono::milliseconds give_up_after = 30s)
      : together_(together), give_up_after_(give_up_after) {}

  pipeline::SendOutcome send(const storage::OutboxRow& row) override {
    std::unique_lock lock(mutex_);
    conversations_inside_.insert(row.address.conversation);
    ++inside_;
    most_inside_ = std::max(most_inside_, inside_);
    met_ = met_ || inside_ >= together_;
    cv_.notify_all();
    const bool met = cv_.wait_for(lock, give_up_after_, [&] { return met_; });
    --inside_;
    return met ? pipeline::SendOutcome::delivered() : pipeline::SendOutcome::retry("never met");
  }
  std::string rate_scope(const storage::OutboxRow& row) const override {
    return row.address.workspace;
  }
  std::size_t most_inside() {
    std::lock_guard lock(mutex_);
    return most_inside_;
  }
  std::set<std::string> conversations() {
    std::lock_guard lock(mutex_);
    return conversations_inside_;
  }

 private:
  std::size_t together_;
  std::chrono::milliseconds give_up_after_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::size_t inside_ = 0;
  std::size_t most_inside_ = 0;
  bool met_ = false;
  std::set<std::string> conversations_inside_;
};

// Notes, per conversation, how many of its calls are in flight and the order of its texts;
// answers 429 for every call in the `limited` workspace until `lift()`.
class LedgerSender : public pipeline::MessageSender {
 public:
  pipeline::SendOutcome send(const storage::OutboxRow& row) override {
    const auto conversation = row.address.workspace + "/" + row.address.conversation;
    {
      std::lock_guard lock(mutex_);
      if (++in_flight_[conversation] > 1)
        overlapped_ = true;
      calls_[row.address.workspace] += 1;
    }
    std::this_thread::yield();  // give another call of the same conversation a chance to overlap
    std::lock_guard lock(mutex_);
    --in_flight_[conversation];
    if (row.address.workspace == limited_)
      return pipeline::SendOutcome::rate_limited(30s);
    order_[conversation].push_back(row.message.text);
    return pipeline::SendOutcome::delivered();
  }
  std::string rate_scope(const storage::OutboxRow& row) const override {
    return row.address.workspace;
  }
  void limit(std::string workspace) {
    std::lock_guard lock(mutex_);
    limited_ = std::move(workspace);
  }
  bool overlapped() {
    std::lock_guard lock(mutex_);
    return overlapped_;
  }
  std::map<std::string, std::vector<std::string>> order() {
    std::lock_guard lock(mutex_);
    return order_;
  }
  int calls_in(const std::string& workspace) {
    std::lock_guard lock(mutex_);
    return calls_[workspace];
  }

 private:
  std::mutex mutex_;
  std::string limited_;
  std::map<std::string, int> in_flight_;
  std::map<std::string, int> calls_;
  std::map<std::string, std::vector<std::string>> order_;
  bool overlapped_ = false;
};

struct Fixture {
  test::TempDir dir;
  storage::Database db = open(dir);

  static storage::Database open(const test::TempDir& dir) {
    auto db = storage::Database::open((dir / "okr.db").string());
    db.migrate();
    return db;
  }
  dialogs::Id queue(const std::string& workspace, const std::string& conversation,
                    const std::string& text) {
    storage::OutboxItem item;
    item.address.platform = "slack";
    item.address.workspace = workspace;
    item.address.conversation = conversation;
    item.message.text = text;
    return storage::Outbox(db).enqueue(item, std::chrono::floor<std::chrono::seconds>(t0()));
  }
  std::size_t sent() { return storage::Outbox(db).count(storage::OutboxStatus::sent); }
};

pipeline::DispatchSettings with_senders(std::size_t senders) {
  pipeline::DispatchSettings settings;
  settings.senders = senders;
  return settings;
}

}  // namespace

TEST_CASE("two conversations' messages are in flight at the same time", "[pipeline][outbox]") {
  Fixture f;
  f.queue("T1", "D1", "to the first person");
  f.queue("T1", "D2", "to the second person");
  auto sender = std::make_shared<MeetingSender>(2);
  pipeline::OutboxDispatcher dispatcher(f.db, with_senders(4), 1);
  dispatcher.add_sender("slack", sender);

  const auto report = dispatcher.run_once(t0());
  CHECK(report.sent == 2);
  CHECK(sender->most_inside() == 2);
  CHECK(sender->conversations() == std::set<std::string>{"D1", "D2"});
  CHECK(f.sent() == 2);
}

TEST_CASE("with one sender the calls are made one after the other", "[pipeline][outbox]") {
  Fixture f;
  f.queue("T1", "D1", "first");
  f.queue("T1", "D2", "second");
  // Two calls would have to meet; one sender never lets them, so each gives up (the short
  // give-up wait only keeps the test quick; the outcome does not depend on it).
  auto sender = std::make_shared<MeetingSender>(2, 100ms);
  pipeline::DispatchSettings settings = with_senders(1);
  pipeline::OutboxDispatcher dispatcher(f.db, settings, 1);
  dispatcher.add_sender("slack", sender);
  const auto report = dispatcher.run_once(t0());
  CHECK(sender->most_inside() == 1);
  CHECK(report.retried == 2);
}

TEST_CASE("OKR_COACH_OUTBOX_SENDERS is how many calls can be in flight at once",
          "[pipeline][outbox][config]") {
  // Three calls must meet inside send(): only possible with at least three senders.
  const auto senders = GENERATE(2u, 3u);
  Fixture f;
  for (const auto* conversation : {"D1", "D2", "D3", "D4"})
    f.queue("T1", conversation, "hello");
  config::Config config;
  config.outbox_senders = senders;
  const auto settings = pipeline::dispatch_settings(config);
  CHECK(settings.senders == senders);
  auto sender = std::make_shared<MeetingSender>(3, 200ms);
  pipeline::OutboxDispatcher dispatcher(f.db, settings, 1);
  dispatcher.add_sender("slack", sender);
  const auto report = dispatcher.run_once(t0());
  INFO("outbox_senders = " << senders);
  CHECK(sender->most_inside() == senders);
  CHECK(report.sent == (senders >= 3 ? 4u : 0u));
}

TEST_CASE("one conversation's messages never overlap nor change order with many senders",
          "[pipeline][outbox]") {
  Fixture f;
  std::map<std::string, std::vector<std::string>> queued;
  for (int i = 0; i < 8; ++i) {
    for (int c = 0; c < 6; ++c) {
      const auto conversation = "D" + std::to_string(c);
      const auto text = conversation + " message " + std::to_string(i);
      f.queue("T1", conversation, text);
      queued["T1/" + conversation].push_back(text);
    }
  }
  auto sender = std::make_shared<LedgerSender>();
  auto settings = with_senders(4);
  settings.channel_interval = 1s;
  pipeline::OutboxDispatcher dispatcher(f.db, settings, 1);
  dispatcher.add_sender("slack", sender);
  auto now = t0();
  for (int step = 0; step < 100 && storage::Outbox(f.db).depth() > 0; ++step) {
    dispatcher.run_once(now);
    now += 1s;
  }
  CHECK(f.sent() == 48);
  CHECK_FALSE(sender->overlapped());
  CHECK(sender->order() == queued);
}

TEST_CASE("a 429 in one workspace does not stall another's messages in the same wave",
          "[pipeline][outbox]") {
  Fixture f;
  for (int c = 0; c < 5; ++c) {
    f.queue("T1", "D1" + std::to_string(c), "limited");
    f.queue("T2", "D2" + std::to_string(c), "free");
  }
  auto sender = std::make_shared<LedgerSender>();
  sender->limit("T1");
  pipeline::OutboxDispatcher dispatcher(f.db, with_senders(4), 1);
  dispatcher.add_sender("slack", sender);

  const auto first = dispatcher.run_once(t0());
  CHECK(first.sent == 5);  // every T2 message went out
  CHECK(sender->order().size() == 5);
  // T1: the calls that started before the 429 was known were retried; the rest waited.
  CHECK(first.retried >= 1);
  CHECK(first.retried + first.held_back == 5);
  const int t1_calls = sender->calls_in("T1");
  CHECK(dispatcher.next_wake(t0()) == t0() + 30s);

  sender->limit("");
  CHECK(dispatcher.run_once(t0() + 29s).sent == 0);
  CHECK(sender->calls_in("T1") == t1_calls);  // nothing in T1 before Retry-After
  CHECK(dispatcher.run_once(t0() + 30s).sent == 5);
  CHECK(f.sent() == 10);
}

TEST_CASE("a sender pool runs every call of a wave exactly once", "[pipeline][outbox]") {
  pipeline::SenderPool pool(3);
  CHECK(pool.size() == 3);
  for (std::size_t count : {0, 1, 2, 3, 17}) {
    std::mutex mutex;
    std::vector<int> runs(count, 0);
    pool.run(count, [&](std::size_t i) {
      std::lock_guard lock(mutex);
      ++runs[i];
    });
    CHECK(std::all_of(runs.begin(), runs.end(), [](int n) { return n == 1; }));
  }
}
