#include "bot/pipeline/outbox_dispatcher.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <random>

#include "bot/metrics/registry.hpp"
#include "storage/database.hpp"
#include "storage/outbox.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;
namespace pipeline = okr::bot::pipeline;
using namespace std::chrono_literals;

namespace {

// Scripted outcomes, consumed one per call; when the script runs out every call succeeds.
// Records each call so tests can assert what was sent, when, and how often. Safe to call from
// several sender threads (with more than one, the script is consumed in no fixed order).
class FakeSender : public pipeline::MessageSender {
 public:
  struct Call {
    dialogs::Id id;
    std::string conversation;  // workspace/conversation: the ordering scope
    std::string text;
    int attempt;
    std::string idempotency_key;
  };
  std::deque<pipeline::SendOutcome> script;
  std::vector<Call> calls;
  std::map<dialogs::Id, int> delivered;  // accepted sends per row
  std::mutex mutex;

  pipeline::SendOutcome send(const storage::OutboxRow& row) override {
    std::lock_guard lock(mutex);
    calls.push_back({row.id, row.address.workspace + "/" + row.address.conversation,
                     row.message.text, row.attempts, row.idempotency_key});
    pipeline::SendOutcome outcome;
    if (!script.empty()) {
      outcome = script.front();
      script.pop_front();
    }
    if (outcome.kind == pipeline::SendOutcome::Kind::sent)
      ++delivered[row.id];
    return outcome;
  }
  // Slack's buckets are per workspace and method; the tests use the workspace alone.
  std::string rate_scope(const storage::OutboxRow& row) const override {
    return row.address.workspace;
  }

  std::vector<std::string> texts() const {
    std::vector<std::string> out;
    for (const auto& c : calls)
      out.push_back(c.text);
    return out;
  }
};

// One call after the other, in due order: the scripted outcomes below are consumed in call
// order, which only a single sender makes deterministic.
pipeline::DispatchSettings serial() {
  pipeline::DispatchSettings settings;
  settings.senders = 1;
  return settings;
}

pipeline::Instant t0() {
  return pipeline::Instant{std::chrono::sys_days{std::chrono::November / 2 / 2026}};
}

struct Fixture {
  test::TempDir dir;
  storage::Database db = open(dir);
  std::shared_ptr<FakeSender> sender = std::make_shared<FakeSender>();
  bot::metrics::Registry metrics;

  static storage::Database open(const test::TempDir& dir) {
    auto db = storage::Database::open((dir / "okr.db").string());
    db.migrate();
    return db;
  }
  pipeline::OutboxDispatcher dispatcher(pipeline::DispatchSettings settings = serial()) {
    pipeline::OutboxDispatcher d(db, settings, 42, &metrics);
    d.add_sender("slack", sender);
    return d;
  }
  dialogs::Id queue(const std::string& workspace, const std::string& conversation,
                    const std::string& text, pipeline::Instant at = t0()) {
    storage::OutboxItem item;
    item.address.platform = "slack";
    item.address.workspace = workspace;
    item.address.conversation = conversation;
    item.message.text = text;
    return storage::Outbox(db).enqueue(item, std::chrono::floor<std::chrono::seconds>(at));
  }
  storage::OutboxRow row(dialogs::Id id) { return *storage::Outbox(db).find(id); }
  std::string metric_text() { return metrics.render(); }
};

}  // namespace

TEST_CASE("due messages are sent once, marked sent and counted", "[pipeline][outbox]") {
  Fixture f;
  const auto a = f.queue("T1", "D1", "hello");
  const auto b = f.queue("T1", "D2", "hi there");
  auto dispatcher = f.dispatcher();
  const auto report = dispatcher.run_once(t0());
  CHECK(report.sent == 2);
  CHECK(f.row(a).status == storage::OutboxStatus::sent);
  CHECK(f.row(b).status == storage::OutboxStatus::sent);
  CHECK(f.sender->calls.at(0).idempotency_key == "okr-" + std::to_string(a));
  CHECK(dispatcher.run_once(t0() + 10s).sent == 0);
  CHECK(f.sender->calls.size() == 2);
  CHECK_FALSE(dispatcher.next_wake(t0() + 10s).has_value());
  CHECK_THAT(f.metric_text(), Catch::Contains("okr_coach_outbox_sent_total{platform=\"slack\"} 2"));
  CHECK_THAT(f.metric_text(), Catch::Contains("okr_coach_outbox_depth 0"));
}

TEST_CASE("a 429 holds back only its own scope until Retry-After has passed",
          "[pipeline][outbox]") {
  Fixture f;
  const auto limited = f.queue("T1", "D1", "first in T1");
  f.queue("T1", "D2", "second in T1");
  f.queue("T2", "D3", "in T2");
  f.sender->script = {pipeline::SendOutcome::rate_limited(30s)};
  auto dispatcher = f.dispatcher();

  const auto first = dispatcher.run_once(t0());
  CHECK(first.retried == 1);
  CHECK(first.sent == 1);       // T2 is another scope and carries on
  CHECK(first.held_back == 1);  // the rest of T1 waits
  CHECK(f.sender->texts() == std::vector<std::string>{"first in T1", "in T2"});
  CHECK(f.row(limited).attempts == 0);  // a rate limit is not a failed attempt
  CHECK(dispatcher.next_wake(t0()) == t0() + 30s);

  CHECK(dispatcher.run_once(t0() + 29s).sent == 0);
  CHECK(f.sender->calls.size() == 2);

  const auto after = dispatcher.run_once(t0() + 30s);
  CHECK(after.sent == 2);
  CHECK(f.row(limited).status == storage::OutboxStatus::sent);
  CHECK_THAT(f.metric_text(),
             Catch::Contains("okr_coach_outbox_retries_total{platform=\"slack\"} 1"));
}

TEST_CASE("a retryable error backs off and then succeeds", "[pipeline][outbox]") {
  Fixture f;
  const auto id = f.queue("T1", "D1", "hello");
  f.sender->script = {pipeline::SendOutcome::retry("HTTP 503"),
                      pipeline::SendOutcome::retry("timeout")};
  auto settings = serial();
  settings.base_backoff = 10s;
  auto dispatcher = f.dispatcher(settings);

  CHECK(dispatcher.run_once(t0()).retried == 1);
  auto row = f.row(id);
  CHECK(row.status == storage::OutboxStatus::pending);
  CHECK(row.last_error == "HTTP 503");
  // First retry between half and all of the base delay.
  const auto first_wait = row.next_attempt_at - std::chrono::floor<std::chrono::seconds>(t0());
  CHECK(first_wait >= 5s);
  CHECK(first_wait <= 10s);
  CHECK(dispatcher.run_once(t0() + 4s).retried == 0);

  CHECK(dispatcher.run_once(t0() + first_wait).retried == 1);
  row = f.row(id);
  const auto second_wait =
      row.next_attempt_at - std::chrono::floor<std::chrono::seconds>(t0() + first_wait);
  CHECK(second_wait >= 10s);  // doubled
  CHECK(second_wait <= 20s);

  CHECK(dispatcher.run_once(t0() + first_wait + second_wait).sent == 1);
  row = f.row(id);
  CHECK(row.status == storage::OutboxStatus::sent);
  CHECK(row.attempts == 3);
  CHECK(f.sender->calls.size() == 3);
  CHECK(f.sender->calls[2].idempotency_key == f.sender->calls[0].idempotency_key);
}

TEST_CASE("a message that keeps failing is dead-lettered after max_attempts",
          "[pipeline][outbox]") {
  Fixture f;
  const auto id = f.queue("T1", "D1", "hello");
  for (int i = 0; i < 10; ++i)
    f.sender->script.push_back(pipeline::SendOutcome::retry("HTTP 500"));
  auto settings = serial();
  settings.max_attempts = 4;
  auto dispatcher = f.dispatcher(settings);
  auto now = t0();
  for (int i = 0; i < 20 && f.row(id).status != storage::OutboxStatus::dead; ++i) {
    dispatcher.run_once(now);
    now += 10min;
  }
  const auto row = f.row(id);
  CHECK(row.status == storage::OutboxStatus::dead);
  CHECK(row.attempts == 4);
  CHECK(row.last_error == "HTTP 500");
  CHECK(f.sender->calls.size() == 4);
  CHECK_THAT(f.metric_text(),
             Catch::Contains("okr_coach_outbox_dead_letters_total{platform=\"slack\"} 1"));
}

TEST_CASE("a permanent error dead-letters at once and the next message goes out",
          "[pipeline][outbox]") {
  Fixture f;
  const auto doomed = f.queue("T1", "D1", "to a channel that is gone");
  const auto next = f.queue("T1", "D1", "next");
  f.sender->script = {pipeline::SendOutcome::failed("channel_not_found")};
  auto dispatcher = f.dispatcher();
  CHECK(dispatcher.run_once(t0()).dead == 1);
  CHECK(f.row(doomed).status == storage::OutboxStatus::dead);
  CHECK(f.row(doomed).attempts == 1);
  CHECK(dispatcher.run_once(t0() + 1s).sent == 1);
  CHECK(f.row(next).status == storage::OutboxStatus::sent);
}

TEST_CASE("a burst to one channel is paced and keeps its order", "[pipeline][outbox]") {
  Fixture f;
  for (const auto* text : {"one", "two", "three"})
    f.queue("T1", "D1", text);
  f.queue("T1", "D2", "other channel");
  auto settings = serial();
  settings.channel_interval = 2s;
  auto dispatcher = f.dispatcher(settings);

  CHECK(dispatcher.run_once(t0()).sent == 2);  // one per channel
  CHECK(dispatcher.run_once(t0() + 1s).sent == 0);
  const auto wake = dispatcher.next_wake(t0() + 1s);
  REQUIRE(wake);
  CHECK((*wake - t0()).count() == 2000);
  CHECK(dispatcher.run_once(t0() + 2s).sent == 1);
  CHECK(dispatcher.run_once(t0() + 4s).sent == 1);
  CHECK(f.sender->texts() == std::vector<std::string>{"one", "other channel", "two", "three"});
}

TEST_CASE("a quiet channel may take a short burst, then the pace holds", "[pipeline][outbox]") {
  Fixture f;
  for (const auto* text : {"one", "two", "three", "four"})
    f.queue("T1", "D1", text);
  auto settings = serial();
  settings.channel_interval = 1s;
  settings.channel_burst = 2;
  auto dispatcher = f.dispatcher(settings);
  CHECK(dispatcher.run_once(t0()).sent == 1);  // one per run: only the conversation head is due
  CHECK(dispatcher.run_once(t0()).sent == 1);  // the burst allows a second one at once
  CHECK(dispatcher.run_once(t0()).sent == 0);  // then the pace: one per second
  CHECK(dispatcher.run_once(t0() + 1s).sent == 1);
  CHECK(dispatcher.run_once(t0() + 1s).sent == 0);
  CHECK(dispatcher.run_once(t0() + 2s).sent == 1);
  CHECK(f.sender->texts() == std::vector<std::string>{"one", "two", "three", "four"});
}

TEST_CASE("after a restart unsent messages are sent and sent ones are not", "[pipeline][outbox]") {
  Fixture f;
  const auto sent = f.queue("T1", "D1", "already sent");
  const auto interrupted = f.queue("T1", "D2", "in flight at the crash");
  const auto waiting = f.queue("T1", "D3", "never tried");
  {
    storage::Outbox outbox(f.db);
    REQUIRE(outbox.mark_sending(sent));
    outbox.mark_sent(sent, std::chrono::floor<std::chrono::seconds>(t0()));
    REQUIRE(outbox.mark_sending(interrupted));  // the process died during this call
  }
  f.db = storage::Database::open((f.dir / "okr.db").string());
  auto dispatcher = f.dispatcher();
  CHECK(dispatcher.recover(t0() + 1min) == 1);
  CHECK(dispatcher.run_once(t0() + 1min).sent == 2);
  CHECK(f.sender->delivered.count(sent) == 0);
  CHECK(f.sender->delivered.at(interrupted) == 1);
  CHECK(f.sender->delivered.at(waiting) == 1);
  // Re-sent with the key of the first try, so a platform that honours it can drop the copy.
  for (const auto& call : f.sender->calls) {
    if (call.id == interrupted)
      CHECK(call.idempotency_key == "okr-" + std::to_string(interrupted));
  }
}

TEST_CASE("with 30% of sends failing every message is still delivered exactly once",
          "[pipeline][outbox]") {
  Fixture f;
  std::vector<dialogs::Id> ids;
  for (int i = 0; i < 60; ++i) {
    ids.push_back(f.queue("T" + std::to_string(i % 3), "D" + std::to_string(i % 7),
                          "message " + std::to_string(i)));
  }
  std::mt19937 faults(7);
  std::bernoulli_distribution fail(0.3);
  std::uniform_int_distribution<int> kind(0, 2);
  for (int i = 0; i < 2000; ++i) {
    if (!fail(faults)) {
      f.sender->script.push_back(pipeline::SendOutcome::delivered());
    } else if (const int k = kind(faults); k == 0) {
      f.sender->script.push_back(pipeline::SendOutcome::rate_limited(3s));
    } else {
      f.sender->script.push_back(pipeline::SendOutcome::retry(k == 1 ? "HTTP 502" : "timeout"));
    }
  }
  auto settings = serial();
  settings.senders = GENERATE(1, 4);  // and with calls of several conversations in flight
  settings.max_attempts = 50;  // the fault rate is the point here, not dead-lettering
  auto dispatcher = f.dispatcher(settings);
  auto now = t0();
  for (int step = 0; step < 2000 && storage::Outbox(f.db).depth() > 0; ++step) {
    dispatcher.run_once(now);
    const auto wake = dispatcher.next_wake(now);
    now = wake && *wake > now ? *wake : now + 1s;
  }
  CHECK(storage::Outbox(f.db).depth() == 0);
  CHECK(storage::Outbox(f.db).count(storage::OutboxStatus::sent) == ids.size());
  for (const auto id : ids) {
    INFO("row " << id);
    CHECK(f.sender->delivered[id] == 1);
  }
  // Within each conversation the messages arrived in the order they were queued.
  // (a failed call is retried in place, so ids per conversation never go backwards).
  std::map<std::string, std::vector<dialogs::Id>> order;
  for (const auto& call : f.sender->calls)
    order[call.conversation].push_back(call.id);
  for (const auto& [conversation, seen] : order) {
    INFO("conversation " << conversation);
    CHECK(std::is_sorted(seen.begin(), seen.end()));
  }
}

TEST_CASE("rows of a platform without a sender wait instead of being lost", "[pipeline][outbox]") {
  Fixture f;
  storage::OutboxItem item;
  item.address.platform = "teams";
  item.address.conversation = "19:abc";
  item.message.text = "hello Teams";
  const auto id =
      storage::Outbox(f.db).enqueue(item, std::chrono::floor<std::chrono::seconds>(t0()));
  auto dispatcher = f.dispatcher();
  CHECK(dispatcher.run_once(t0()).held_back == 1);
  CHECK(f.row(id).status == storage::OutboxStatus::pending);
  CHECK(f.row(id).attempts == 0);
  CHECK(dispatcher.next_wake(t0()) > t0());
}

namespace {

// A sender that opens a gate once it has accepted `expected` messages (real threads, no clock).
class CountingSender : public pipeline::MessageSender {
 public:
  explicit CountingSender(std::size_t expected) : expected_(expected) {}
  pipeline::SendOutcome send(const storage::OutboxRow& row) override {
    std::lock_guard lock(mutex_);
    texts_.push_back(row.message.text);
    if (texts_.size() >= expected_)
      cv_.notify_all();
    return pipeline::SendOutcome::delivered();
  }
  bool wait_for_all() {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::seconds(30), [&] { return texts_.size() >= expected_; });
  }
  std::vector<std::string> texts() {
    std::lock_guard lock(mutex_);
    return texts_;
  }

 private:
  std::size_t expected_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::string> texts_;
};

}  // namespace

TEST_CASE("the dispatch loop sends what was queued before start and after a notify",
          "[pipeline][outbox]") {
  test::TempDir dir;
  const auto file = (dir / "okr.db").string();
  auto writer = storage::Database::open(file);  // the turns' connection
  writer.migrate();
  auto loop_db = storage::Database::open(file);  // the dispatcher's own connection
  const auto queue = [&](const std::string& conversation, const std::string& text) {
    storage::OutboxItem item;
    item.address = {"slack", "T1", conversation, "post", "", "", ""};
    item.message.text = text;
    storage::Outbox(writer).enqueue(
        item, std::chrono::floor<std::chrono::seconds>(pipeline::instant_now()));
  };
  queue("D1", "before start");
  auto sender = std::make_shared<CountingSender>(2);
  pipeline::OutboxDispatcher dispatcher(loop_db, {}, 1);
  dispatcher.add_sender("slack", sender);
  pipeline::DispatchLoop loop(dispatcher, pipeline::instant_now);
  loop.start();
  queue("D2", "after start");
  loop.notify();
  REQUIRE(sender->wait_for_all());
  loop.stop();
  auto texts = sender->texts();
  std::sort(texts.begin(), texts.end());
  CHECK(texts == std::vector<std::string>{"after start", "before start"});
  CHECK(storage::Outbox(writer).count(storage::OutboxStatus::sent) == 2);
}

TEST_CASE("the pipeline metrics are defined once and count inbox duplicates per platform",
          "[pipeline][outbox]") {
  bot::metrics::Registry registry;
  pipeline::define_pipeline_metrics(registry);
  pipeline::define_pipeline_metrics(registry);  // harmless twice (the dispatcher defines them too)
  pipeline::count_inbox_duplicate(registry, "slack");
  pipeline::count_inbox_duplicate(registry, "slack");
  const auto text = registry.render();
  CHECK_THAT(text, Catch::Contains("okr_coach_inbox_duplicates_total{platform=\"slack\"} 2"));
  CHECK_THAT(text, Catch::Contains("# TYPE okr_coach_outbox_depth gauge"));
  CHECK_THAT(text, Catch::Contains("# TYPE okr_coach_outbox_dead_letters_total counter"));
}

namespace {

class ThrowingSender : public pipeline::MessageSender {
 public:
  int calls = 0;
  pipeline::SendOutcome send(const storage::OutboxRow&) override {
    if (++calls == 1)
      throw std::runtime_error("socket closed");
    return pipeline::SendOutcome::delivered("1700.2");
  }
};

}  // namespace

TEST_CASE("a sender that throws is treated as a retryable failure", "[pipeline][outbox]") {
  Fixture f;
  const auto id = f.queue("T1", "D1", "hello");
  auto sender = std::make_shared<ThrowingSender>();
  pipeline::OutboxDispatcher dispatcher(f.db, {}, 3);
  dispatcher.add_sender("slack", sender);
  CHECK(dispatcher.run_once(t0()).retried == 1);
  CHECK_THAT(f.row(id).last_error, Catch::Contains("socket closed"));
  CHECK(dispatcher.run_once(t0() + 10min).sent == 1);
  CHECK(f.row(id).sent_ref == "1700.2");
  CHECK(sender->calls == 2);
}
