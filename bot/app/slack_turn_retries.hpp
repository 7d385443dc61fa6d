#pragma once
// Turns that fail (a locked or faulty database) are tried again with exponential backoff and
// jitter instead of waiting for the next restart. While a conversation's turn waits for its
// retry, that conversation is held: its later turns queue behind the failed one (order is the
// dialog's meaning), but no worker thread sleeps, so other people are not held up.
//
// Sits on top of the Sequencer: every attempt runs as a sequencer task of the conversation, and
// a small timer thread re-submits a held conversation when its delay is over. Held turns live
// in memory only; their inbox entries stay pending, so a restart still picks them up.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>

namespace okr::bot::pipeline {
class Sequencer;
}

namespace okr::bot::app {

struct RetryPolicy {
  int max_attempts = 5;                         // the first try included
  std::chrono::milliseconds first_delay{1000};  // then 2x, 4x, 8x ...
  double jitter = 0.25;  // each delay is shortened by a random share up to this much, so
                         // turns that failed together do not all come back together
};

// The delay before retry number `retry` (1 = after the first failure), before jitter.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry);

// One unit of work that may fail.
struct RetryableTurn {
  // Throws on failure; returning normally means done.
  std::function<void()> attempt;
  // After each failed attempt: `attempts` made so far, and whether this was the last one
  // (`final`: no retry follows). Must not throw.
  std::function<void(const std::string& error, int attempts, bool final)> failed;
};

class TurnRetries {
 public:
  // `sequencer` must outlive this object (stop() this first).
  TurnRetries(pipeline::Sequencer& sequencer, RetryPolicy policy, std::uint64_t seed);
  ~TurnRetries();  // stop()
  TurnRetries(const TurnRetries&) = delete;
  TurnRetries& operator=(const TurnRetries&) = delete;

  // Queues `turn` behind earlier turns of `conversation` (including a held, failed one).
  void submit(const std::string& conversation, RetryableTurn turn);
  // Forgets waiting retries (their inbox entries stay pending) and joins the timer thread.
  void stop();

  // Conversations currently waiting for a retry.
  std::size_t held();

 private:
  struct Held {
    RetryableTurn failed_turn;
    int attempts = 0;
    std::deque<RetryableTurn> behind;  // later turns of the same conversation, in order
  };

  void run_or_hold(const std::string& conversation, RetryableTurn turn);
  void resume(const std::string& conversation);
  // Runs `turn` (attempt number attempts+1), then as many of `behind` as succeed; holds the
  // conversation again at the first failure that may still be retried.
  void run_chain(const std::string& conversation, RetryableTurn turn, int attempts,
                 std::deque<RetryableTurn> behind);
  void timer_loop();

  pipeline::Sequencer& sequencer_;
  RetryPolicy policy_;
  std::mutex mutex_;
  std::condition_variable timer_cv_;
  std::map<std::string, Held> held_;
  std::multimap<std::chrono::steady_clock::time_point, std::string> due_;
  std::mt19937_64 random_;
  bool stopping_ = false;
  std::thread timer_;
};

}  // namespace okr::bot::app
