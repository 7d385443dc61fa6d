#include "bot/app/freed_memory.hpp"

#include <malloc.h>

#include <algorithm>

namespace okr::bot::app {

FreedMemory::FreedMemory(std::chrono::milliseconds interval, std::size_t threshold)
    : interval_(interval), threshold_(threshold) {
  lowest_free_ = mallinfo2().fordblks;
}

FreedMemory::~FreedMemory() {
  stop();
}

void FreedMemory::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_)
    return;
  thread_ = std::thread([this] { loop(); });
}

void FreedMemory::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

bool FreedMemory::return_if_worthwhile() {
  // fordblks: free bytes in every arena's bins (glibc sums all arenas), including pages already
  // returned; the walk locks each arena briefly and makes no system call.
  const std::size_t free_now = mallinfo2().fordblks;
  lowest_free_ = std::min(lowest_free_, free_now);
  if (free_now - lowest_free_ < threshold_)
    return false;
  malloc_trim(0);
  lowest_free_ = mallinfo2().fordblks;
  return true;
}

void FreedMemory::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; }))
      break;
    lock.unlock();
    return_if_worthwhile();
    lock.lock();
  }
}

}  // namespace okr::bot::app
