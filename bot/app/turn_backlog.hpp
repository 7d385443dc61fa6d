#pragma once
// Which acknowledged requests wait for their turn in memory, and which only on disk.
//
// Turns cannot keep up with a burst of requests, and each waiting turn costs about 1 KB, so the
// turn queue in memory holds at most `capacity` of them. Beyond that, committed inbox entries
// stay on disk only (they are durable already) and are read back, oldest first, once the queue
// has drained to half. Nothing here touches the database or the queue itself: the channel hands
// in how to queue a turn and how to read pending entries, so the bookkeeping can be tested with
// every interleaving of the batch writer and a reader written out step by step.
//
// Why the order holds and nothing is queued twice:
// - While any entry is left on disk, ids grow in commit order (a rowid is the largest one plus
//   one, and the entries left on disk are pending, never deleted). So "pending and newer than
//   the newest entry queued" is exactly what waits on disk.
// - One reader at a time, and the batch writer stops queueing directly from the moment the
//   first entry is left on disk until a reader has caught up.
// - A batch is "in flight" between its commit and its hand-over here. A reader may already see
//   it on disk and queue it; it must then not declare itself caught up, or the writer would
//   queue the same batch a second time.
// - Entries are left on disk only while some turn is in memory: the end of a turn is what reads
//   them back, so the count of turns in memory is kept here, under the lock that decides.
#include <cstddef>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "bot/app/channel_runtime.hpp"

namespace okr::bot::app {

class TurnBacklog {
 public:
  // A committed inbox entry and the work its turn does.
  using Entry = std::pair<InboundWork, dialogs::Id>;
  // Hands one turn to the turn queue. Called with the backlog's lock held, in id order.
  using Queue = std::function<void(InboundWork work, dialogs::Id inbox_id)>;
  // The pending entries newer than `after`, oldest first, at most `limit`. May throw.
  using ReadPending = std::function<std::vector<Entry>(dialogs::Id after, std::size_t limit)>;

  // `capacity` turns wait in memory at most (at least 1). A channel that cannot rebuild a turn
  // from its stored entry passes `can_leave_on_disk` false: then every turn is queued.
  // `read_chunk` bounds the entries one read asks for.
  TurnBacklog(std::size_t capacity, bool can_leave_on_disk, Queue queue,
              std::size_t read_chunk = 1000);
  TurnBacklog(const TurnBacklog&) = delete;
  TurnBacklog& operator=(const TurnBacklog&) = delete;

  // What the batch writer does with the entries of one commit.
  struct Handed {
    std::size_t left_on_disk = 0;  // entries of the batch not queued now
    bool read_back = false;        // the writer became the reader: call read_back()
  };

  // The batch writer, just before its transaction.
  void batch_writing();
  // Its transaction failed: nothing of the batch was stored.
  void batch_failed();
  // Its transaction committed; `fresh` holds the batch's new entries in id order.
  Handed batch_committed(std::vector<Entry> fresh);

  // A queued turn left the queue (finished, or given up). True: the caller became the reader
  // and must call read_back().
  bool turn_finished();

  // At start-up, before any request: an earlier run may have left entries pending on disk.
  // The caller becomes the reader and must call read_back().
  void recover();

  // For the reader only. Queues waiting entries in id order until none is left on disk or the
  // queue is full again, then gives up the reader's role. Returns how many it queued. When
  // `read` throws, the role is given up and the error rethrown; the next turn's end or the
  // next batch tries again.
  std::size_t read_back(const ReadPending& read);

  // Shutting down: no more reading back; what is left on disk waits for the next start.
  void stop();

  // What waits where (for tests and metrics).
  std::size_t in_memory() const;
  bool entries_on_disk() const;

 private:
  // With `mutex_` held.
  void queue(InboundWork work, dialogs::Id inbox_id);
  bool may_read_back() const;

  const std::size_t capacity_;
  const bool can_leave_on_disk_;
  const std::size_t read_chunk_;
  Queue queue_;

  mutable std::mutex mutex_;
  std::size_t in_memory_ = 0;      // turns queued and not finished
  bool left_on_disk_ = false;      // some committed entries are not in the queue
  dialogs::Id queued_through_ = 0;  // newest entry queued
  dialogs::Id left_through_ = 0;   // newest entry left on disk
  bool reading_back_ = false;      // one reader at a time keeps the order
  bool batch_in_flight_ = false;   // between a batch's commit and batch_committed()
  bool stopped_ = false;
};

}  // namespace okr::bot::app
