#pragma once
// Group commit: requests that arrive while a write is in progress are written together in the
// next one, so N concurrent requests cost one transaction (one write lock, one WAL commit)
// instead of N queued behind each other. There is no timer: a batch is simply whatever arrived
// while the previous one was being written, so a lone request is written at once.
//
// Two ways to write. By default the callers take turns (leader/follower): the first caller that
// finds nobody writing becomes the leader, takes the waiting items (at most `max_batch`), writes
// them with the lock released and completes them; then it hands over to a waiting caller, or,
// when only asynchronous items are left, keeps writing until the queue is empty. After
// start_writer() a thread of the commit's own writes every batch instead, and callers only
// queue. A server wants the writer: a network thread that leads keeps leading for as long as the
// other network threads keep the queue full (measured: up to 57 ms over 60 batches at 64
// concurrent requests), and the connections it serves wait that long for their answers. The
// price is a thread switch per batch: a lone request (one at a time) is answered in 0.21 ms
// instead of 0.10 ms (p50). Two ways around it were tried and cost more under load: a caller
// that finds nobody writing writes one batch itself (-15% requests/s at 64 concurrent: many
// batches of one, a commit each), and the same only while the last batch held one request
// (+68% requests/s one at a time, but -8% at 64 concurrent and -9% at 16).
// Either way an item is completed only after its batch's write returned: when the write throws,
// every item of that batch fails with that error, and no item is ever acknowledged before it is
// stored.
//
// `Item` is the caller's: the write function reads it and records its outcome in it.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace okr::bot::app {

template <class Item>
class GroupCommit {
 public:
  // Writes one batch in arrival order and records each item's outcome in it. Throwing fails
  // the whole batch (nothing of it was stored).
  using WriteBatch = std::function<void(const std::vector<Item*>& batch)>;
  // Called for an asynchronous item once its batch is done; `error` is set when it failed.
  using Done = std::function<void(Item& item, std::exception_ptr error)>;

  explicit GroupCommit(WriteBatch write, std::size_t max_batch = 256)
      : write_(std::move(write)), max_batch_(max_batch < 1 ? 1 : max_batch) {}
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;
  ~GroupCommit() { stop_writer(); }

  // From now on a thread of its own writes every batch; `on_start` runs first on that thread
  // (to name it, set its priority). Does nothing when the writer already runs.
  void start_writer(std::function<void()> on_start = {}) {
    std::lock_guard lock(mutex_);
    if (writer_on_)
      return;
    writer_on_ = true;
    writer_stopping_ = false;
    writer_ = std::thread([this, on_start = std::move(on_start)] {
      if (on_start)
        on_start();
      run_writer();
    });
  }

  // Writes whatever is queued, then ends the writer thread; callers write for themselves again.
  void stop_writer() {
    {
      std::lock_guard lock(mutex_);
      if (!writer_.joinable())
        return;
      writer_stopping_ = true;
    }
    work_.notify_all();
    writer_.join();
  }

  // Returns when `item`'s batch was written; rethrows the batch's error when it failed.
  void write(Item& item) {
    Waiter waiter{&item, {}, false, nullptr};
    std::unique_lock lock(mutex_);
    queue_.push_back(&waiter);
    ++queued_sync_;
    wake_writer();
    while (!waiter.finished) {
      if (!writing_ && !writer_on_) {
        lead(lock, &waiter);
        continue;
      }
      changed_.wait(lock);
    }
    if (waiter.error)
      std::rethrow_exception(waiter.error);
  }

  // Queues `item` and returns; `done` runs (on whichever thread wrote the batch) once it is
  // written. The item must stay alive until then. Without a writer thread, when nobody is
  // writing, the caller writes.
  void write_async(Item& item, Done done) {
    auto* waiter = new Waiter{&item, std::move(done), false, nullptr};
    std::unique_lock lock(mutex_);
    queue_.push_back(waiter);
    if (writer_on_)
      wake_writer();
    else if (!writing_)
      lead(lock, nullptr);
  }

  // How many batches were started, and how many items wait for one (for metrics and tests).
  std::size_t batches() const {
    std::lock_guard lock(mutex_);
    return batches_;
  }
  std::size_t queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

 private:
  struct Waiter {
    Item* item;
    Done done;  // empty for a synchronous caller, who waits on `changed_`
    bool finished;
    std::exception_ptr error;
  };

  // With `mutex_` held. The futex call is saved while the writer is busy: it looks at the queue
  // again before it sleeps.
  void wake_writer() {
    if (writer_on_ && writer_idle_)
      work_.notify_one();
  }

  void run_writer() {
    std::unique_lock lock(mutex_);
    for (;;) {
      writer_idle_ = true;
      work_.wait(lock, [this] { return (writer_stopping_ || !queue_.empty()) && !writing_; });
      writer_idle_ = false;
      if (!queue_.empty() && !writing_) {
        lead(lock, nullptr);  // until the queue is empty
        continue;
      }
      if (writer_stopping_)
        break;  // the queue is empty and nobody writes
    }
    writer_on_ = false;
    changed_.notify_all();  // a synchronous caller may write for itself from now on
  }

  // With `lock` held and nobody writing: writes batches until `own` is finished and (when a
  // synchronous caller waits to take over) hands over, or until the queue is empty.
  void lead(std::unique_lock<std::mutex>& lock, Waiter* own) {
    writing_ = true;
    while (!queue_.empty()) {
      std::vector<Waiter*> batch;
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
        if (!batch.back()->done)
          --queued_sync_;
      }
      ++batches_;
      lock.unlock();
      std::vector<Item*> items;
      items.reserve(batch.size());
      for (auto* w : batch)
        items.push_back(w->item);
      std::exception_ptr error;
      try {
        write_(items);
      } catch (...) {
        error = std::current_exception();
      }
      // Asynchronous items are completed here, outside the lock (their callbacks may take
      // their time or queue more work); synchronous ones are woken below.
      std::vector<Waiter*> waiting;
      for (auto* w : batch) {
        if (!w->done) {
          waiting.push_back(w);
          continue;
        }
        try {
          w->done(*w->item, error);
        } catch (...) {
          // A callback's own failure is its business; the batch and the others go on.
        }
        delete w;
      }
      lock.lock();
      for (auto* w : waiting) {
        w->error = error;
        w->finished = true;
      }
      changed_.notify_all();
      // A leader whose own item is done hands over to a queued synchronous caller (who wakes,
      // finds nobody writing and leads), so no request is held up serving others' batches.
      if (own != nullptr && own->finished && queued_sync_ > 0)
        break;
    }
    writing_ = false;
    changed_.notify_all();
    if (writer_on_ && writer_idle_)
      work_.notify_one();  // a writer that is stopping waits for this leader to finish
  }

  WriteBatch write_;
  std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::condition_variable work_;  // wakes the writer thread
  std::thread writer_;
  bool writer_on_ = false;    // the writer thread writes every batch
  bool writer_idle_ = false;  // it waits on `work_`
  bool writer_stopping_ = false;
  std::deque<Waiter*> queue_;
  bool writing_ = false;
  std::size_t queued_sync_ = 0;  // synchronous callers whose items are still queued
  std::size_t batches_ = 0;
};

}  // namespace okr::bot::app
