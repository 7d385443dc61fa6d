#include "bot/pipeline/scheduler_loop.hpp"
#include "bot/pipeline/thread_role.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

#include "storage/schedules.hpp"

namespace okr::bot::pipeline {

SchedulerLoop::SchedulerLoop(storage::Database& db, SchedulerSettings settings, Now now,
                             std::function<void()> queued, std::chrono::seconds recheck)
    : db_(db),
      settings_(std::move(settings)),
      now_(std::move(now)),
      queued_(std::move(queued)),
      recheck_(std::max(recheck, std::chrono::seconds{1})) {}

SchedulerLoop::~SchedulerLoop() {
  stop();
}

void SchedulerLoop::start() {
  if (thread_.joinable())
    return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] {
    take_thread_role("okr-schedule", ThreadRole::background);
    loop();
  });
}

void SchedulerLoop::notify() {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
  }
  wake_.notify_one();
}

void SchedulerLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable())
    thread_.join();
}

void SchedulerLoop::loop() {
  constexpr std::chrono::seconds after_failure{30};
  // Members who joined or left while the service was down (and, until every path that changes
  // a membership syncs its team itself, since the last sync).
  constexpr std::chrono::hours resync_every{1};
  std::optional<dialogs::TimePoint> synced_at;
  for (;;) {
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(recheck_);
    try {
      const auto now = now_();
      if (!synced_at || now - *synced_at >= resync_every) {
        storage::sync_all_default_schedules(db_, now);
        synced_at = now;
      }
      const auto report = run_scheduler_pass(db_, now, settings_);
      if (report.messages > 0 && queued_)
        queued_();
      if (const auto next = storage::Schedules(db_).next_due()) {
        const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*next - now_());
        wait = std::clamp(until, std::chrono::milliseconds{0}, wait);
      }
    } catch (const std::exception& error) {
      spdlog::error("scheduler: {}; trying again in {} s", error.what(), after_failure.count());
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
