#include "bot/pipeline/sequencer.hpp"
#include "bot/pipeline/thread_role.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace okr::bot::pipeline {

Sequencer::Sequencer(std::size_t workers) {
  if (workers == 0)
    workers = 1;
  threads_.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i)
    threads_.emplace_back([this, i] {
      take_thread_role("okr-turn", ThreadRole::background);
      work(i);
    });
}

Sequencer::~Sequencer() {
  stop();
}

bool Sequencer::submit(const std::string& conversation_key, std::function<void()> task) {
  return submit(conversation_key, Task([task = std::move(task)](std::size_t) { task(); }));
}

bool Sequencer::submit(const std::string& conversation_key, Task task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_)
      return false;
    auto& queue = queues_[conversation_key];
    queue.push_back(std::move(task));
    ++outstanding_;
    // A conversation is on the runnable list or on a worker, never both, which is what keeps
    // its tasks in order: only one worker at a time ever pops from its queue.
    if (queue.size() == 1 && !running_[conversation_key])
      runnable_.push_back(conversation_key);
  }
  ready_cv_.notify_one();
  return true;
}

void Sequencer::work(std::size_t worker) {
  std::unique_lock lock(mutex_);
  for (;;) {
    ready_cv_.wait(lock, [&] { return stopping_ || !runnable_.empty(); });
    if (runnable_.empty())
      return;  // stopping and nothing left to run
    const std::string key = std::move(runnable_.front());
    runnable_.pop_front();
    running_[key] = true;
    Task task = std::move(queues_[key].front());
    queues_[key].pop_front();
    lock.unlock();
    try {
      task(worker);
    } catch (const std::exception& e) {
      spdlog::error("a turn of conversation '{}' failed: {}", key, e.what());
    } catch (...) {
      spdlog::error("a turn of conversation '{}' failed with an unknown exception", key);
    }
    lock.lock();
    running_.erase(key);
    auto queue = queues_.find(key);
    if (queue->second.empty()) {
      queues_.erase(queue);
    } else {
      // Back of the line: one busy conversation cannot starve the others.
      runnable_.push_back(key);
      ready_cv_.notify_one();
    }
    if (--outstanding_ == 0)
      idle_cv_.notify_all();
  }
}

void Sequencer::drain() {
  std::unique_lock lock(mutex_);
  idle_cv_.wait(lock, [&] { return outstanding_ == 0; });
}

std::size_t Sequencer::queued() {
  std::lock_guard lock(mutex_);
  return outstanding_;
}

void Sequencer::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty())
      return;
    stopping_ = true;
  }
  ready_cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable())
      t.join();
  }
  std::lock_guard lock(mutex_);
  threads_.clear();
}

}  // namespace okr::bot::pipeline
