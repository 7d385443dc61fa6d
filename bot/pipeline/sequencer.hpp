#pragma once
// Runs the turns of one conversation strictly in the order they were submitted, while turns of
// different conversations run in parallel on a bounded pool of worker threads. Submitting never
// blocks on the work itself, so a network thread can hand a turn over and answer at once.
//
// Storage: a SQLite connection must not be shared between threads. With one shared
// storage::Database use one worker (every turn then runs on that one storage thread, still off
// the network threads), or give each worker its own connection (`worker` argument of the task).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace okr::bot::pipeline {

class Sequencer {
 public:
  // The index (0..workers-1) of the worker thread running a task.
  using Task = std::function<void(std::size_t worker)>;

  explicit Sequencer(std::size_t workers);
  ~Sequencer();  // stop()
  Sequencer(const Sequencer&) = delete;
  Sequencer& operator=(const Sequencer&) = delete;

  // Queues `task` behind earlier tasks of `conversation_key`. Returns false (task dropped) once
  // stop() has begun. An exception escaping a task is logged and does not stop its conversation.
  bool submit(const std::string& conversation_key, Task task);
  bool submit(const std::string& conversation_key, std::function<void()> task);

  // Blocks until every task submitted so far has finished.
  void drain();
  // Refuses new tasks, finishes the queued ones, joins the workers. Idempotent.
  void stop();

  std::size_t workers() const { return threads_.size(); }
  std::size_t queued();  // tasks submitted and not yet finished

 private:
  void work(std::size_t worker);

  std::mutex mutex_;
  std::condition_variable ready_cv_;                // a conversation became runnable, or stopping
  std::condition_variable idle_cv_;                 // the last task finished
  std::map<std::string, std::deque<Task>> queues_;  // per conversation; present while it has work
  std::map<std::string, bool> running_;             // conversation currently on a worker
  std::deque<std::string> runnable_;                // conversations with work and no worker
  std::size_t outstanding_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace okr::bot::pipeline
