#include "bot/pipeline/sender_pool.hpp"
#include "bot/pipeline/thread_role.hpp"

namespace okr::bot::pipeline {

SenderPool::SenderPool(std::size_t size) {
  for (std::size_t i = 1; i < size; ++i)
    threads_.emplace_back([this] {
      take_thread_role("okr-send", ThreadRole::background);
      work();
    });
}

SenderPool::~SenderPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wave_cv_.notify_all();
  for (auto& t : threads_)
    t.join();
}

void SenderPool::run(std::size_t count, const std::function<void(std::size_t)>& call) {
  if (threads_.empty() || count <= 1) {
    for (std::size_t i = 0; i < count; ++i)
      call(i);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    call_ = &call;
    count_ = count;
    next_ = 0;
    unfinished_ = count;
  }
  wave_cv_.notify_all();
  take_calls();
  std::unique_lock lock(mutex_);
  done_cv_.wait(lock, [&] { return unfinished_ == 0; });
  call_ = nullptr;
}

// Every call taken is counted in unfinished_, so run() cannot return (and `call` cannot go
// away) while one is still running.
void SenderPool::take_calls() {
  for (;;) {
    const std::function<void(std::size_t)>* call = nullptr;
    std::size_t index = 0;
    {
      std::lock_guard lock(mutex_);
      if (call_ == nullptr || next_ >= count_)
        return;
      call = call_;
      index = next_++;
    }
    (*call)(index);
    std::lock_guard lock(mutex_);
    if (--unfinished_ == 0)
      done_cv_.notify_all();
  }
}

void SenderPool::work() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wave_cv_.wait(lock, [&] { return stopping_ || (call_ != nullptr && next_ < count_); });
      if (stopping_)
        return;
    }
    take_calls();
  }
}

}  // namespace okr::bot::pipeline
