#include "bot/web/web_delivery.hpp"

#include <exception>

#include <spdlog/spdlog.h>

#include "bot/metrics/registry.hpp"
#include "bot/pipeline/outbox_dispatcher.hpp"
#include "storage/database.hpp"
#include "storage/outbox.hpp"
#include "storage/web_outbox.hpp"

namespace okr::bot::web {
namespace {

constexpr const char* kPlatform = "web";
// The pipeline's outbox counters (pipeline::define_pipeline_metrics), so web deliveries show
// next to every other platform's.
constexpr const char* kSentMetric = "okr_coach_outbox_sent_total";
constexpr const char* kRetriesMetric = "okr_coach_outbox_retries_total";
constexpr const char* kDeadMetric = "okr_coach_outbox_dead_letters_total";
// A failed append (a busy or failing disk) is tried again after this long, up to kMaxAttempts.
constexpr std::chrono::seconds kRetryAfter{2};
constexpr int kMaxAttempts = 6;

}  // namespace

WebDelivery::WebDelivery(storage::Database& db, pipeline::MessageSender& sender,
                         pipeline::Clock clock, metrics::Registry* metrics,
                         std::chrono::milliseconds idle_check)
    : db_(db), sender_(sender), clock_(std::move(clock)), metrics_(metrics), idle_check_(idle_check) {
  if (metrics_)
    pipeline::define_pipeline_metrics(*metrics_);
}

WebDelivery::~WebDelivery() {
  stop();
}

std::size_t WebDelivery::run_once() {
  storage::Outbox outbox(db_);
  const auto count = [this](const char* metric) {
    if (metrics_)
      metrics_->increment(metric, {{"platform", kPlatform}});
  };
  std::size_t delivered = 0;
  for (const auto id : storage::deliverable_outbox_rows(db_, kPlatform, clock_())) {
    if (!outbox.mark_sending(id))
      continue;  // someone else has it
    const auto row = outbox.find(id);
    if (!row)
      continue;
    pipeline::SendOutcome outcome;
    try {
      outcome = sender_.send(*row);
    } catch (const std::exception& error) {
      outcome = pipeline::SendOutcome::retry(error.what());
    }
    const auto now = clock_();
    if (outcome.kind == pipeline::SendOutcome::Kind::sent) {
      outbox.mark_sent(id, now, outcome.ref);
      count(kSentMetric);
      ++delivered;
    } else if (outcome.kind == pipeline::SendOutcome::Kind::permanent ||
               row->attempts >= kMaxAttempts) {
      spdlog::warn("web message {} to {} given up: {}", id, row->address.conversation, outcome.detail);
      outbox.mark_dead(id, outcome.detail);
      count(kDeadMetric);
    } else {
      outbox.schedule_retry(id, now + kRetryAfter, outcome.detail);
      count(kRetriesMetric);
    }
  }
  return delivered;
}

void WebDelivery::start() {
  const auto requeued = storage::requeue_interrupted_outbox_rows(db_, kPlatform, clock_());
  if (requeued > 0)
    spdlog::warn("web: {} message(s) were interrupted mid-delivery; delivering them again", requeued);
  thread_ = std::thread([this] { loop(); });
}

void WebDelivery::notify() {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
  }
  wake_.notify_one();
}

void WebDelivery::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable())
    thread_.join();
}

void WebDelivery::loop() {
  // A pass always runs after start() and once more after stop() was asked, so replies committed
  // just before a shutdown are still delivered.
  std::unique_lock lock(mutex_);
  for (;;) {
    poked_ = false;
    lock.unlock();
    try {
      // Rows committed while this pass ran are caught by the next one (notify sets poked_).
      run_once();
    } catch (const std::exception& error) {
      spdlog::error("web delivery pass failed: {}", error.what());
    }
    lock.lock();
    if (stopping_)
      return;
    wake_.wait_for(lock, idle_check_, [this] { return poked_ || stopping_; });
  }
}

}  // namespace okr::bot::web
