#pragma once
// The scheduler of `serve`: a thread with its own database connection that sleeps until the
// next due schedule (no busy polling), runs a scheduler pass, and sleeps again. notify() wakes
// it early (a schedule was created or changed in this process); it also looks again at least
// every `recheck`, in case another process (a `tick`, a second instance) changed the table.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "bot/pipeline/scheduler.hpp"

namespace okr::bot::pipeline {

class SchedulerLoop {
 public:
  using Now = std::function<dialogs::TimePoint()>;
  // `db` is the loop's own connection; `queued` is called after a pass queued messages (to
  // wake the dispatchers); both must outlive the loop.
  SchedulerLoop(storage::Database& db, SchedulerSettings settings, Now now,
                std::function<void()> queued = {},
                std::chrono::seconds recheck = std::chrono::minutes{5});
  ~SchedulerLoop();  // stop()
  SchedulerLoop(const SchedulerLoop&) = delete;
  SchedulerLoop& operator=(const SchedulerLoop&) = delete;

  void start();   // syncs every team's default schedules (again every hour), then loops
  void notify();  // look again now; cheap, from any thread
  void stop();    // finishes the pass in flight, joins; idempotent

 private:
  void loop();

  storage::Database& db_;
  SchedulerSettings settings_;
  Now now_;
  std::function<void()> queued_;
  std::chrono::seconds recheck_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool poked_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace okr::bot::pipeline
