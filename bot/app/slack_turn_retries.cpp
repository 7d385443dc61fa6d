#include "bot/app/slack_turn_retries.hpp"

#include <exception>
#include <utility>

#include "bot/pipeline/sequencer.hpp"

namespace okr::bot::app {

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry) {
  auto delay = policy.first_delay;
  for (int i = 1; i < retry; ++i)
    delay *= 2;
  return delay;
}

TurnRetries::TurnRetries(pipeline::Sequencer& sequencer, RetryPolicy policy, std::uint64_t seed)
    : sequencer_(sequencer), policy_(policy), random_(seed) {
  timer_ = std::thread([this] { timer_loop(); });
}

TurnRetries::~TurnRetries() {
  stop();
}

void TurnRetries::submit(const std::string& conversation, RetryableTurn turn) {
  sequencer_.submit(conversation, [this, conversation, turn = std::move(turn)]() mutable {
    run_or_hold(conversation, std::move(turn));
  });
}

void TurnRetries::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !timer_.joinable())
      return;
    stopping_ = true;
    held_.clear();
    due_.clear();
  }
  timer_cv_.notify_all();
  if (timer_.joinable())
    timer_.join();
}

std::size_t TurnRetries::held() {
  std::lock_guard lock(mutex_);
  return held_.size();
}

void TurnRetries::run_or_hold(const std::string& conversation, RetryableTurn turn) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = held_.find(conversation); it != held_.end()) {
      it->second.behind.push_back(std::move(turn));
      return;
    }
  }
  run_chain(conversation, std::move(turn), 0, {});
}

void TurnRetries::resume(const std::string& conversation) {
  Held held;
  {
    std::lock_guard lock(mutex_);
    auto it = held_.find(conversation);
    if (it == held_.end())
      return;
    held = std::move(it->second);
    held_.erase(it);
  }
  run_chain(conversation, std::move(held.failed_turn), held.attempts, std::move(held.behind));
}

void TurnRetries::run_chain(const std::string& conversation, RetryableTurn turn, int attempts,
                            std::deque<RetryableTurn> behind) {
  while (true) {
    std::string error;
    try {
      turn.attempt();
    } catch (const std::exception& failure) {
      error = failure.what();
      if (error.empty())
        error = "unnamed failure";
    } catch (...) {
      error = "unknown failure";
    }
    if (!error.empty()) {
      ++attempts;
      const bool final = attempts >= policy_.max_attempts;
      if (turn.failed)
        turn.failed(error, attempts, final);
      if (!final) {
        std::lock_guard lock(mutex_);
        if (stopping_)
          return;  // the inbox entries stay pending for the next start
        const auto base = backoff_delay(policy_, attempts);
        std::uniform_real_distribution<double> share(0.0, policy_.jitter);
        const auto delay =
            std::chrono::duration_cast<std::chrono::milliseconds>(base * (1.0 - share(random_)));
        due_.emplace(std::chrono::steady_clock::now() + delay, conversation);
        held_[conversation] = Held{std::move(turn), attempts, std::move(behind)};
        timer_cv_.notify_all();
        return;
      }
    }
    if (behind.empty())
      return;
    turn = std::move(behind.front());
    behind.pop_front();
    attempts = 0;
  }
}

void TurnRetries::timer_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (due_.empty()) {
      timer_cv_.wait(lock);
      continue;
    }
    const auto next = due_.begin()->first;
    if (std::chrono::steady_clock::now() < next) {
      timer_cv_.wait_until(lock, next);
      continue;
    }
    const std::string conversation = due_.begin()->second;
    due_.erase(due_.begin());
    lock.unlock();
    sequencer_.submit(conversation, [this, conversation] { resume(conversation); });
    lock.lock();
  }
}

}  // namespace okr::bot::app
