#pragma once
// Long polls of the web page: requests for "entries after ID" that found nothing yet and wait
// for the conversation log to grow. Whoever appends to a person's log calls notify(person); a
// waiter then runs its `wake` (which reads the log again and answers) on this object's own
// thread, so neither the network threads nor the delivery thread read the log for it. A waiter
// also wakes at its deadline, and every waiter wakes on stop(), so a shutdown is not held up by
// open polls.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace okr::bot::web {

class ConversationWaiters {
 public:
  using Wake = std::function<void()>;
  using Clock = std::chrono::steady_clock;

  // At most `max_waiting` waiters at once; a request beyond that is refused (wait() is false).
  explicit ConversationWaiters(std::size_t max_waiting);
  ~ConversationWaiters();  // stop()
  ConversationWaiters(const ConversationWaiters&) = delete;
  ConversationWaiters& operator=(const ConversationWaiters&) = delete;

  void start();

  // `person`'s log has a new entry (call after it is committed).
  void notify(const std::string& person);

  // Taken before reading the log; wait() compares it, so an entry appended between the read
  // and the wait wakes the waiter at once instead of at its deadline.
  std::uint64_t stamp(const std::string& person);

  // Runs `wake` exactly once: when `person`'s log changes after `seen`, at `deadline`, or on
  // stop() (at once, on the caller's thread, when already stopped). False, without keeping
  // `wake`, when max_waiting waiters are already there.
  bool wait(const std::string& person, std::uint64_t seen, Clock::time_point deadline, Wake wake);

  std::size_t waiting();

  // Wakes every waiter, then joins the thread. Idempotent.
  void stop();

 private:
  struct Waiter {
    std::string person;
    Clock::time_point deadline;
    Wake wake;
    bool ready = false;
  };

  void loop();

  const std::size_t max_waiting_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, std::uint64_t, std::less<>> stamps_;
  std::vector<Waiter> waiters_;
  bool running_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace okr::bot::web
