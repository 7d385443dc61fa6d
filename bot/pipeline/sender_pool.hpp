#pragma once
// A small fixed set of threads that makes one wave of platform calls at a time, several at once.
// The MessageSender interface is blocking (one HTTP round trip per call), so overlapping calls
// needs threads; a fixed pool keeps the number of connections to the platform bounded and
// predictable (no thread per message, no unbounded fan-out under a backlog). The calling
// thread takes calls of the wave too, so a pool of 1 runs everything on the caller, in order.
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace okr::bot::pipeline {

class SenderPool {
 public:
  // `size`: calls in flight at most (0 counts as 1).
  explicit SenderPool(std::size_t size);
  ~SenderPool();
  SenderPool(const SenderPool&) = delete;
  SenderPool& operator=(const SenderPool&) = delete;

  // Runs call(0) … call(count - 1), at most `size` of them at the same time, and returns when
  // all have returned. `call` must not throw. One wave at a time (one caller thread).
  void run(std::size_t count, const std::function<void(std::size_t)>& call);

  std::size_t size() const { return threads_.size() + 1; }

 private:
  void take_calls();
  void work();

  std::mutex mutex_;
  std::condition_variable wave_cv_;  // a wave started, or stopping
  std::condition_variable done_cv_;  // the wave's last call returned
  const std::function<void(std::size_t)>* call_ = nullptr;
  std::size_t count_ = 0;
  std::size_t next_ = 0;
  std::size_t unfinished_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace okr::bot::pipeline
