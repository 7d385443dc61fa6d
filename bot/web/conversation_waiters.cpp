#include "bot/web/conversation_waiters.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include <spdlog/spdlog.h>

namespace okr::bot::web {

ConversationWaiters::ConversationWaiters(std::size_t max_waiting) : max_waiting_(max_waiting) {}

ConversationWaiters::~ConversationWaiters() {
  stop();
}

void ConversationWaiters::start() {
  std::lock_guard lock(mutex_);
  if (running_ || stopping_)
    return;
  running_ = true;
  thread_ = std::thread([this] { loop(); });
}

void ConversationWaiters::notify(const std::string& person) {
  {
    std::lock_guard lock(mutex_);
    ++stamps_[person];
    for (auto& waiter : waiters_) {
      if (waiter.person == person)
        waiter.ready = true;
    }
  }
  changed_.notify_all();
}

std::uint64_t ConversationWaiters::stamp(const std::string& person) {
  std::lock_guard lock(mutex_);
  const auto found = stamps_.find(person);
  return found == stamps_.end() ? 0 : found->second;
}

bool ConversationWaiters::wait(const std::string& person, std::uint64_t seen,
                               Clock::time_point deadline, Wake wake) {
  {
    std::lock_guard lock(mutex_);
    if (running_ && !stopping_) {
      if (waiters_.size() >= max_waiting_)
        return false;
      const auto found = stamps_.find(person);
      const bool changed = (found == stamps_.end() ? 0 : found->second) != seen;
      waiters_.push_back(Waiter{person, deadline, std::move(wake), changed});
      changed_.notify_all();
      return true;
    }
  }
  // Not running (never started, or stopped): nobody would wake it later, so answer now.
  wake();
  return true;
}

std::size_t ConversationWaiters::waiting() {
  std::lock_guard lock(mutex_);
  return waiters_.size();
}

void ConversationWaiters::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable())
    thread_.join();
  std::lock_guard lock(mutex_);
  running_ = false;
}

void ConversationWaiters::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    const auto now = Clock::now();
    std::vector<Wake> due;
    auto earliest = Clock::time_point::max();
    std::vector<Waiter> still;
    for (auto& waiter : waiters_) {
      if (waiter.ready || waiter.deadline <= now || stopping_) {
        due.push_back(std::move(waiter.wake));
      } else {
        earliest = std::min(earliest, waiter.deadline);
        still.push_back(std::move(waiter));
      }
    }
    waiters_.swap(still);
    if (!due.empty()) {
      lock.unlock();
      for (auto& wake : due) {
        try {
          wake();
        } catch (const std::exception& error) {
          // Its answer was lost with it: the request's `respond` then answers 500.
          spdlog::error("web: a waiting request failed to answer: {}", error.what());
        }
      }
      due.clear();  // drop the wakes (and what they hold) before taking the lock again
      lock.lock();
      continue;
    }
    if (stopping_)
      return;
    if (earliest == Clock::time_point::max())
      changed_.wait(lock);
    else
      changed_.wait_until(lock, earliest);
  }
}

}  // namespace okr::bot::web
