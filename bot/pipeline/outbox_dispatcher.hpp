#pragma once
// Sends outbox rows through each platform's MessageSender until they are sent or dead.
//  - 429: nothing in that rate-limit scope is sent until Retry-After has passed; other scopes
//    carry on. Rate-limited calls do not count toward max_attempts (the platform said when).
//  - retryable errors: exponential backoff with jitter (seeded RNG), at most max_attempts calls,
//    then dead-letter (warn log + metric). Permanent errors dead-letter at once.
//  - pacing: at most one message per conversation per `channel_interval`, and one conversation's
//    messages go out in order (a retrying row holds back the rows behind it).
//  - concurrency: rows of different conversations are sent in waves, up to `senders` calls in
//    flight at once; a conversation has at most one row in a wave (only its oldest unsent row
//    is ever due), so its messages never overlap or overtake each other. A call about to start
//    in a scope that a 429 of the same wave has just closed is not made: the row waits for the
//    Retry-After like the rest of its scope.
//  - a row is marked `sending` before the call and `sent` after it succeeded, so our own
//    retries never repeat a successful call. A wave is claimed in one transaction before its
//    calls and its outcomes are recorded in one transaction after the last of them returned
//    (two commits per wave instead of two per message). Only a crash between a call and the
//    end of its wave leaves the outcome unknown: recover() re-sends such rows with their
//    idempotency key (at-least-once in that window — a duplicate message is better than a lost
//    one). The same holds if the database fails right after a successful call: the row stays
//    `sending` (never re-sent by this process) until the next start-up's recover().
// The dispatcher is driven by run_once(now) (tests use a fake clock, no sleeps); DispatchLoop
// runs it on its own thread in production. Besides the pool of sender threads it owns no
// thread; it must be used from one thread at a time, with a Database connection of its own.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bot/pipeline/message_sender.hpp"
#include "bot/pipeline/sender_pool.hpp"

namespace okr::config {
struct Config;
}
namespace okr::storage {
class Database;
}
namespace okr::bot::metrics {
class Registry;
}

namespace okr::bot::pipeline {

using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

struct DispatchSettings {
  int max_attempts = 6;                              // calls per row before dead-lettering
  std::chrono::milliseconds channel_interval{1000};  // pacing per conversation
  int channel_burst = 1;  // messages a quiet conversation may get back to back before pacing
                          // (a turn's two or three replies); the long-run rate stays 1/interval
  std::chrono::milliseconds base_backoff{1000};  // first retry after ~this
  std::chrono::milliseconds max_backoff{5 * 60 * 1000};
  std::size_t batch = 100;  // rows looked at per run_once (one wave)
  // Platform calls in flight at once (threads of the dispatcher, itself included). 1 = one
  // call after the other on the dispatcher's thread, in due order.
  std::size_t senders = 4;
};

// The defaults above with what the operator configured (OKR_COACH_OUTBOX_SENDERS).
DispatchSettings dispatch_settings(const config::Config& config);

struct DispatchReport {
  std::size_t sent = 0;
  std::size_t retried = 0;  // rescheduled (backoff or Retry-After)
  std::size_t dead = 0;
  std::size_t held_back = 0;  // due but waiting for pacing or a rate-limit scope
};

class OutboxDispatcher {
 public:
  // `metrics` may be null. The RNG seed makes the jitter reproducible in tests.
  OutboxDispatcher(storage::Database& db, DispatchSettings settings, std::uint64_t seed,
                   metrics::Registry* metrics = nullptr);

  // A clock read after each call, so that Retry-After, backoff and pacing count from when the
  // answer arrived rather than from the start of run_once (a batch with slow calls would
  // otherwise retry early). Without it (tests with a fake clock) `now` is used throughout.
  void use_clock(std::function<Instant()> clock) { clock_ = std::move(clock); }

  // The sender for rows whose address.platform is `platform`. Rows of a platform without a
  // sender stay pending (a channel that is not configured yet must not lose its messages).
  void add_sender(const std::string& platform, std::shared_ptr<MessageSender> sender);

  // Once at start-up: rows interrupted mid-call become pending (see above). Returns how many.
  std::size_t recover(Instant now);
  // Sends everything due at `now` that pacing and rate-limit waits allow.
  DispatchReport run_once(Instant now);
  // When run_once has something to do next: the earliest of the next due row, a conversation's
  // pacing and rate-limit waits. nullopt = nothing pending.
  std::optional<Instant> next_wake(Instant now);

 private:
  struct Call;
  std::vector<Call> claim_wave(Instant now, DispatchReport& report);
  void make_call(Call& call, Instant now);
  void record_wave(std::vector<Call>& wave, Instant now, DispatchReport& report);
  std::chrono::milliseconds backoff(int attempts);
  void forget_past_waits(Instant now);
  void publish_depth();

  storage::Database& db_;
  DispatchSettings settings_;
  std::mt19937_64 rng_;
  metrics::Registry* metrics_;
  std::function<Instant()> clock_;
  std::map<std::string, std::shared_ptr<MessageSender>> senders_;
  // Pacing as a virtual schedule (GCRA): a conversation may send when now is no earlier than
  // this minus (burst - 1) intervals; each send moves it one interval on.
  std::map<std::string, Instant> conversation_free_at_;
  // 429 waits; also read and written by the sender threads during a wave, under the mutex.
  std::unique_ptr<std::mutex> scope_mutex_ = std::make_unique<std::mutex>();
  std::map<std::string, Instant> scope_free_at_;
  std::unique_ptr<SenderPool> pool_;
};

// Defines the okr_coach_outbox_* and okr_coach_inbox_duplicates_total metrics (idempotent).
void define_pipeline_metrics(metrics::Registry& registry);
// For the channel handler that saw Inbox::record(...).duplicate.
void count_inbox_duplicate(metrics::Registry& registry, const std::string& platform);

// Production driver: runs `dispatcher` on its own thread, waking at next_wake() or when
// notify() says new rows were committed. The dispatcher (and its Database) must not be used
// elsewhere while the loop runs.
class DispatchLoop {
 public:
  using Now = std::function<Instant()>;
  DispatchLoop(OutboxDispatcher& dispatcher, Now now);
  ~DispatchLoop();  // stop()
  DispatchLoop(const DispatchLoop&) = delete;
  DispatchLoop& operator=(const DispatchLoop&) = delete;

  void start();   // recover() then loop
  void notify();  // new rows may be due; cheap, callable from any thread
  void stop();    // finishes the call in flight, joins; idempotent

 private:
  void loop();

  OutboxDispatcher& dispatcher_;
  Now now_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool poked_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

Instant instant_now();  // the system clock at millisecond resolution

}  // namespace okr::bot::pipeline
