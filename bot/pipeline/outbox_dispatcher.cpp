#include "bot/pipeline/outbox_dispatcher.hpp"
#include "bot/pipeline/thread_role.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

#include "bot/metrics/registry.hpp"
#include "config/config.hpp"
#include "storage/database.hpp"
#include "storage/inbox_batch.hpp"
#include "storage/outbox.hpp"
#include "storage/outbox_batch.hpp"

namespace okr::bot::pipeline {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* depth_metric = "okr_coach_outbox_depth";
constexpr const char* sent_metric = "okr_coach_outbox_sent_total";
constexpr const char* retries_metric = "okr_coach_outbox_retries_total";
constexpr const char* dead_metric = "okr_coach_outbox_dead_letters_total";
constexpr const char* duplicates_metric = "okr_coach_inbox_duplicates_total";

// A platform without a sender yet (not configured) is looked at again this much later.
constexpr seconds no_sender_recheck{60};

// The database keeps whole seconds: "due" compares against the second we are in, and a wait
// is rounded up so a row is never released before its time.
dialogs::TimePoint db_now(Instant now) {
  return std::chrono::floor<seconds>(now);
}
dialogs::TimePoint db_until(Instant until) {
  return std::chrono::ceil<seconds>(until);
}

std::string conversation_key(const storage::OutboxRow& row) {
  return row.address.platform + "|" + row.address.workspace + "|" + row.address.conversation;
}

}  // namespace

void define_pipeline_metrics(metrics::Registry& registry) {
  registry.define_gauge(depth_metric,
                        "Outbox messages waiting to be sent (pending or being sent).");
  registry.define_counter(sent_metric, "Outbox messages the platform accepted.");
  registry.define_counter(retries_metric,
                          "Outbox sends rescheduled after a rate limit or a retryable error.");
  registry.define_counter(dead_metric,
                          "Outbox messages given up on (permanent error or attempts exhausted).");
  registry.define_counter(duplicates_metric,
                          "Inbound events received again and not processed twice.");
}

void count_inbox_duplicate(metrics::Registry& registry, const std::string& platform) {
  registry.increment(duplicates_metric, {{"platform", platform}});
}

DispatchSettings dispatch_settings(const config::Config& config) {
  DispatchSettings settings;
  settings.senders = std::max<std::size_t>(config.outbox_senders, 1);
  return settings;
}

Instant instant_now() {
  return std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
}

OutboxDispatcher::OutboxDispatcher(storage::Database& db, DispatchSettings settings,
                                   std::uint64_t seed, metrics::Registry* metrics)
    : db_(db),
      settings_(settings),
      rng_(seed),
      metrics_(metrics),
      pool_(std::make_unique<SenderPool>(settings.senders)) {
  // A wave's two commits meet the turns' commits on the write lock; SQLite's own busy wait
  // sleeps whole milliseconds, which every reply behind the wave would wait for.
  storage::wait_for_writers_promptly(db_);
  if (metrics_)
    define_pipeline_metrics(*metrics_);
}

void OutboxDispatcher::add_sender(const std::string& platform,
                                  std::shared_ptr<MessageSender> sender) {
  senders_[platform] = std::move(sender);
}

std::size_t OutboxDispatcher::recover(Instant now) {
  const auto recovered = storage::Outbox(db_).recover_interrupted(db_now(now));
  if (recovered > 0) {
    spdlog::warn(
        "{} outbox message(s) were interrupted mid-send; sending them again with their idempotency "
        "keys",
        recovered);
  }
  publish_depth();
  return recovered;
}

// One row of a wave: claimed (`sending`) before the calls, its outcome recorded after them.
struct OutboxDispatcher::Call {
  storage::OutboxRow row;  // as sent: attempts counts this call
  MessageSender* sender = nullptr;
  std::string conversation;
  std::string scope;
  SendOutcome outcome;
  Instant answered{};
  std::optional<Instant> scope_closed_until;  // not called: a 429 of this wave closed the scope
};

DispatchReport OutboxDispatcher::run_once(Instant now) {
  DispatchReport report;
  auto wave = claim_wave(now, report);
  if (!wave.empty()) {
    pool_->run(wave.size(), [&](std::size_t i) { make_call(wave[i], now); });
    record_wave(wave, now, report);
  }
  forget_past_waits(now);
  publish_depth();
  return report;
}

std::vector<OutboxDispatcher::Call> OutboxDispatcher::claim_wave(Instant now,
                                                                 DispatchReport& report) {
  storage::Outbox outbox(db_);
  const auto due = outbox.due(db_now(now), settings_.batch);
  std::vector<Call> wave;
  if (due.empty())
    return wave;
  const auto burst_allowance =
      settings_.channel_interval * (std::max(settings_.channel_burst, 1) - 1);
  storage::OutboxBatch claim(db_);
  for (const auto& row : due) {
    const auto sender = senders_.find(row.address.platform);
    if (sender == senders_.end()) {
      outbox.postpone(row.id, db_now(now) + no_sender_recheck);
      ++report.held_back;
      continue;
    }
    auto conversation = conversation_key(row);
    auto scope = sender->second->rate_scope(row);
    Instant free_at = now;
    if (auto c = conversation_free_at_.find(conversation); c != conversation_free_at_.end())
      free_at = std::max(free_at, c->second - burst_allowance);
    if (auto s = scope_free_at_.find(scope); s != scope_free_at_.end())
      free_at = std::max(free_at, s->second);
    if (free_at > now) {
      // Held back, not failed: the row keeps its attempts and waits in the database, so
      // next_wake() sees it and a restart keeps the wait.
      outbox.postpone(row.id, db_until(free_at));
      ++report.held_back;
      continue;
    }
    if (!outbox.mark_sending(row.id))
      continue;
    Call call;
    call.row = row;
    call.row.attempts += 1;
    call.row.status = storage::OutboxStatus::sending;
    call.sender = sender->second.get();
    call.conversation = std::move(conversation);
    call.scope = std::move(scope);
    wave.push_back(std::move(call));
  }
  // Durable before any call: a crash from here on leaves these rows `sending` for recover().
  claim.commit();
  return wave;
}

// On a sender thread: touches only its own Call and, under the mutex, the 429 waits.
void OutboxDispatcher::make_call(Call& call, Instant now) {
  {
    const Instant starting = clock_ ? std::max(now, clock_()) : now;
    std::lock_guard lock(*scope_mutex_);
    if (auto s = scope_free_at_.find(call.scope);
        s != scope_free_at_.end() && s->second > starting) {
      call.scope_closed_until = s->second;
      return;
    }
  }
  try {
    call.outcome = call.sender->send(call.row);
  } catch (const std::exception& e) {
    call.outcome = SendOutcome::retry(std::string("sender threw: ") + e.what());
  } catch (...) {
    call.outcome = SendOutcome::retry("sender threw an unknown exception");
  }
  // Waits count from the answer: the call (and earlier calls of this wave) took time.
  call.answered = clock_ ? std::max(now, clock_()) : now;
  if (call.outcome.kind == SendOutcome::Kind::retry_after) {
    // At once, so that calls of this wave not yet started in the scope wait too.
    const auto wait = std::max(call.outcome.retry_after, seconds{1});
    std::lock_guard lock(*scope_mutex_);
    auto& scope_free =
        scope_free_at_[call.outcome.scope.empty() ? call.scope : call.outcome.scope];
    scope_free = std::max(scope_free, call.answered + std::chrono::duration_cast<milliseconds>(wait));
  }
}

void OutboxDispatcher::record_wave(std::vector<Call>& wave, Instant now, DispatchReport& report) {
  storage::Outbox outbox(db_);
  std::vector<std::pair<const char*, const storage::OutboxRow*>> counted;
  storage::OutboxBatch record(db_);
  for (auto& call : wave) {
    const auto& row = call.row;
    if (call.scope_closed_until) {
      // No call was made: back to pending without an attempt, due when the scope opens.
      outbox.retry_after_rate_limit(row.id, db_until(*call.scope_closed_until));
      ++report.held_back;
      continue;
    }
    // A call was made either way: the conversation's pacing starts from its answer.
    auto& schedule =
        conversation_free_at_.try_emplace(call.conversation, call.answered).first->second;
    schedule = std::max(schedule, call.answered) + settings_.channel_interval;

    const auto& outcome = call.outcome;
    switch (outcome.kind) {
      case SendOutcome::Kind::sent:
        outbox.mark_sent(row.id, db_now(now), outcome.ref);
        counted.emplace_back(sent_metric, &row);
        ++report.sent;
        break;
      case SendOutcome::Kind::retry_after: {
        const auto wait = std::max(outcome.retry_after, seconds{1});
        const auto until = call.answered + std::chrono::duration_cast<milliseconds>(wait);
        outbox.retry_after_rate_limit(row.id, db_until(until));
        counted.emplace_back(retries_metric, &row);
        ++report.retried;
        break;
      }
      case SendOutcome::Kind::retryable:
        if (row.attempts >= settings_.max_attempts) {
          spdlog::warn("outbox message {} to {} conversation {} given up after {} attempts: {}",
                       row.id, row.address.platform, row.address.conversation, row.attempts,
                       outcome.detail);
          outbox.mark_dead(row.id, outcome.detail);
          counted.emplace_back(dead_metric, &row);
          ++report.dead;
        } else {
          outbox.schedule_retry(row.id, db_until(call.answered + backoff(row.attempts)),
                                outcome.detail);
          counted.emplace_back(retries_metric, &row);
          ++report.retried;
        }
        break;
      case SendOutcome::Kind::permanent:
        spdlog::warn("outbox message {} to {} conversation {} cannot be delivered: {}", row.id,
                     row.address.platform, row.address.conversation, outcome.detail);
        outbox.mark_dead(row.id, outcome.detail);
        counted.emplace_back(dead_metric, &row);
        ++report.dead;
        break;
    }
  }
  record.commit();
  // Counted once the outcomes are stored, so the metrics never run ahead of the database.
  if (metrics_) {
    for (const auto& [metric, row] : counted)
      metrics_->increment(metric, {{"platform", row->address.platform}});
  }
}

std::optional<Instant> OutboxDispatcher::next_wake(Instant) {
  // Held rows were postponed in the database to the end of their wait, so the earliest
  // next_attempt_at covers pacing and rate limits as well.
  const auto due = storage::Outbox(db_).next_due();
  if (!due)
    return std::nullopt;
  return std::chrono::time_point_cast<milliseconds>(*due);
}

milliseconds OutboxDispatcher::backoff(int attempts) {
  // Exponential with "equal jitter": half the delay is fixed, half random, so retries of many
  // rows that failed together spread out but never come back sooner than half the schedule.
  const int doublings = std::clamp(attempts - 1, 0, 30);
  auto delay = settings_.base_backoff;
  for (int i = 0; i < doublings && delay < settings_.max_backoff; ++i)
    delay *= 2;
  delay = std::min(delay, settings_.max_backoff);
  std::uniform_int_distribution<long long> jitter(0, std::max<long long>(delay.count() / 2, 0));
  return milliseconds{delay.count() - delay.count() / 2 + jitter(rng_)};
}

void OutboxDispatcher::forget_past_waits(Instant now) {
  std::erase_if(conversation_free_at_, [&](const auto& entry) { return entry.second <= now; });
  std::lock_guard lock(*scope_mutex_);
  std::erase_if(scope_free_at_, [&](const auto& entry) { return entry.second <= now; });
}

void OutboxDispatcher::publish_depth() {
  if (metrics_)
    metrics_->set(depth_metric, {}, static_cast<double>(storage::Outbox(db_).depth()));
}

DispatchLoop::DispatchLoop(OutboxDispatcher& dispatcher, Now now)
    : dispatcher_(dispatcher), now_(std::move(now)) {
  dispatcher_.use_clock(now_);
}

DispatchLoop::~DispatchLoop() {
  stop();
}

void DispatchLoop::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_)
    return;
  thread_ = std::thread([this] {
    take_thread_role("okr-dispatch", ThreadRole::background);
    loop();
  });
}

void DispatchLoop::notify() {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
  }
  wake_.notify_one();
}

void DispatchLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable())
    thread_.join();
}

void DispatchLoop::loop() {
  // Without anything pending the loop still looks again now and then, in case a row was added
  // by another process or a notify() was missed.
  constexpr milliseconds idle_poll{30'000};
  constexpr milliseconds after_failure{5'000};
  bool recovered = false;
  for (;;) {
    milliseconds wait = idle_poll;
    try {
      if (!recovered) {
        dispatcher_.recover(now_());
        recovered = true;
      }
      const auto now = now_();
      dispatcher_.run_once(now);
      if (auto wake = dispatcher_.next_wake(now)) {
        wait = std::clamp(std::chrono::duration_cast<milliseconds>(*wake - now_()), milliseconds{0},
                          idle_poll);
      }
    } catch (const std::exception& e) {
      spdlog::error("outbox dispatcher: {}; trying again shortly", e.what());
      wait = after_failure;
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, wait, [&] { return stopping_ || poked_; });
    if (stopping_)
      return;
    poked_ = false;
  }
}

}  // namespace okr::bot::pipeline
