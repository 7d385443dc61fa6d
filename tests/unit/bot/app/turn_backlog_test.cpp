#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bot/app/turn_backlog.hpp"

using okr::bot::app::InboundWork;
using okr::bot::app::TurnBacklog;
using okr::dialogs::Id;

namespace {

// The inbox as far as the backlog sees it: committed entry ids, growing in commit order.
class FakeInbox {
 public:
  void commit(const std::vector<Id>& ids) {
    std::lock_guard lock(mutex_);
    committed_.insert(committed_.end(), ids.begin(), ids.end());
  }

  std::vector<TurnBacklog::Entry> pending_after(Id after, std::size_t limit) {
    std::lock_guard lock(mutex_);
    ++reads_;
    if (failures_left_ > 0) {
      --failures_left_;
      throw std::runtime_error("database is locked");
    }
    std::vector<TurnBacklog::Entry> found;
    for (const auto id : committed_) {
      if (id > after && found.size() < limit)
        found.push_back(entry(id));
    }
    return found;
  }

  TurnBacklog::ReadPending reader() {
    return [this](Id after, std::size_t limit) { return pending_after(after, limit); };
  }

  void fail_next_reads(int count) {
    std::lock_guard lock(mutex_);
    failures_left_ = count;
  }

  int reads() {
    std::lock_guard lock(mutex_);
    return reads_;
  }

  static TurnBacklog::Entry entry(Id id) {
    InboundWork work;
    work.event_key = "event-" + std::to_string(id);
    return {std::move(work), id};
  }

 private:
  std::mutex mutex_;
  std::vector<Id> committed_;
  int failures_left_ = 0;
  int reads_ = 0;
};

// What reached the turn queue, in order (the work must match its entry).
struct QueuedTurns {
  std::vector<Id> ids;

  TurnBacklog::Queue queue() {
    return [this](InboundWork work, Id id) {
      CHECK(work.event_key == "event-" + std::to_string(id));
      ids.push_back(id);
    };
  }
};

std::vector<Id> ids_from(Id first, Id last) {
  std::vector<Id> ids;
  for (auto id = first; id <= last; ++id)
    ids.push_back(id);
  return ids;
}

// The batch writer's part for one batch: commit to the inbox, hand the entries over, and read
// back when that made the writer the reader.
TurnBacklog::Handed write_batch(TurnBacklog& backlog, FakeInbox& inbox,
                                const std::vector<Id>& ids) {
  backlog.batch_writing();
  inbox.commit(ids);
  std::vector<TurnBacklog::Entry> fresh;
  for (const auto id : ids)
    fresh.push_back(FakeInbox::entry(id));
  const auto handed = backlog.batch_committed(std::move(fresh));
  if (handed.read_back)
    backlog.read_back(inbox.reader());
  return handed;
}

// A turn ends; when that makes the caller the reader, it reads back.
void finish_turn(TurnBacklog& backlog, FakeInbox& inbox) {
  if (backlog.turn_finished())
    backlog.read_back(inbox.reader());
}

}  // namespace

TEST_CASE("turns go straight to the queue while it has room", "[turn_backlog]") {
  FakeInbox inbox;
  QueuedTurns turns;
  TurnBacklog backlog(3, true, turns.queue());

  const auto handed = write_batch(backlog, inbox, {1, 2, 3});

  CHECK(turns.ids == std::vector<Id>{1, 2, 3});
  CHECK(handed.left_on_disk == 0);
  CHECK_FALSE(handed.read_back);
  CHECK_FALSE(backlog.entries_on_disk());
  CHECK(backlog.in_memory() == 3);
  CHECK(inbox.reads() == 0);
}

TEST_CASE("past its capacity the queue leaves entries on disk and reads them back oldest first",
          "[turn_backlog]") {
  FakeInbox inbox;
  QueuedTurns turns;
  TurnBacklog backlog(2, true, turns.queue());

  const auto handed = write_batch(backlog, inbox, ids_from(1, 5));
  CHECK(turns.ids == std::vector<Id>{1, 2});
  CHECK(handed.left_on_disk == 3);
  CHECK_FALSE(handed.read_back);  // the queue is full, not drained to half
  CHECK(backlog.entries_on_disk());

  for (int i = 0; i < 5; ++i)
    finish_turn(backlog, inbox);

  CHECK(turns.ids == ids_from(1, 5));
  CHECK_FALSE(backlog.entries_on_disk());
  CHECK(backlog.in_memory() == 0);

  // Caught up: the next batch goes straight to the queue again, without a read.
  const auto reads = inbox.reads();
  write_batch(backlog, inbox, {6});
  CHECK(turns.ids == ids_from(1, 6));
  CHECK(inbox.reads() == reads);
}

TEST_CASE("a newer batch waits behind the entries already on disk", "[turn_backlog]") {
  FakeInbox inbox;
  QueuedTurns turns;
  TurnBacklog backlog(4, true, turns.queue());

  write_batch(backlog, inbox, ids_from(1, 6));  // 5 and 6 left on disk
  finish_turn(backlog, inbox);                  // 3 in memory: more than half, no read yet
  CHECK(turns.ids == ids_from(1, 4));

  // The queue has room for one, but 5 and 6 are older: 7 must not overtake them.
  const auto handed = write_batch(backlog, inbox, {7});
  CHECK(handed.left_on_disk == 1);
  CHECK(turns.ids == ids_from(1, 4));

  while (backlog.in_memory() > 0)
    finish_turn(backlog, inbox);
  CHECK(turns.ids == ids_from(1, 7));
}

TEST_CASE("a reader that sees a batch before its writer hands it over queues it once",
          "[turn_backlog]") {
  FakeInbox inbox;
  QueuedTurns turns;
  TurnBacklog backlog(2, true, turns.queue());
  write_batch(backlog, inbox, {1, 2, 3});  // 3 left on disk
  REQUIRE(turns.ids == std::vector<Id>{1, 2});

  // The writer commits entry 4 but has not handed it over yet when the turns end and read.
  backlog.batch_writing();
  inbox.commit({4});
  finish_turn(backlog, inbox);  // reads 3
  finish_turn(backlog, inbox);  // reads 4, committed but still in flight
  finish_turn(backlog, inbox);  // reads nothing: caught up, but the batch is still in flight
  CHECK(turns.ids == std::vector<Id>{1, 2, 3, 4});
  CHECK(backlog.entries_on_disk());

  // The writer's hand-over finds 4 queued already, and makes itself the reader that catches up.
  const auto handed = backlog.batch_committed({FakeInbox::entry(4)});
  CHECK(handed.left_on_disk == 0);
  REQUIRE(handed.read_back);
  CHECK(backlog.read_back(inbox.reader()) == 0);
  CHECK_FALSE(backlog.entries_on_disk());

  write_batch(backlog, inbox, {5});
  CHECK(turns.ids == std::vector<Id>{1, 2, 3, 4, 5});
}

TEST_CASE("a failed read gives the reader's role up and the next turn's end reads again",
          "[turn_backlog]") {
  FakeInbox inbox;
  QueuedTurns turns;
  TurnBacklog backlog(2, true, turns.queue());
  write_batch(backlog, inbox, ids_from(1, 4));

  inbox.fail_next_reads(1);
  REQUIRE(backlog.turn_finished());
  CHECK_THROWS_WITH(backlog.read_back(inbox.reader()), Catch::Contains("locked"));
  CHECK(turns.ids == std::vector<Id>{1, 2});
  CHECK(backlog.entries_on_disk());

  finish_turn(backlog, inbox);  // 0 in memory now, and the read works
  CHECK(turns.ids == ids_from(1, 4));
}

TEST_CASE("after a failed read a new batch makes its writer the reader", "[turn_backlog]") {
  FakeInbox inbox;
  QueuedTurns turns;
  TurnBacklog backlog(2, true, turns.queue());
  write_batch(backlog, inbox, ids_from(1, 3));  // 3 left on disk
  inbox.fail_next_reads(1);
  REQUIRE(backlog.turn_finished());
  CHECK_THROWS(backlog.read_back(inbox.reader()));

  const auto handed = write_batch(backlog, inbox, {4});  // behind 3, so on disk too
  CHECK(handed.left_on_disk == 1);
  CHECK(handed.read_back);
  CHECK(turns.ids == ids_from(1, 3));  // the writer read 3 back; then the queue was full

  finish_turn(backlog, inbox);
  CHECK(turns.ids == ids_from(1, 4));
}

TEST_CASE("a read reads no more than the queue has room for, in chunks", "[turn_backlog]") {
  FakeInbox inbox;
  inbox.commit(ids_from(1, 10));  // an earlier run's unfinished entries
  QueuedTurns turns;
  TurnBacklog backlog(8, true, turns.queue(), 3);

  backlog.recover();
  CHECK(backlog.read_back(inbox.reader()) == 8);
  CHECK(turns.ids == ids_from(1, 8));
  CHECK(inbox.reads() == 3);  // 3 + 3 + 2
  CHECK(backlog.entries_on_disk());

  for (int i = 0; i < 4; ++i)
    finish_turn(backlog, inbox);  // the fourth drains the queue to half
  CHECK(turns.ids == ids_from(1, 10));
  CHECK_FALSE(backlog.entries_on_disk());
}

TEST_CASE("a channel that cannot rebuild turns from the inbox queues every turn",
          "[turn_backlog]") {
  FakeInbox inbox;
  QueuedTurns turns;
  TurnBacklog backlog(1, false, turns.queue());

  const auto handed = write_batch(backlog, inbox, ids_from(1, 5));
  CHECK(turns.ids == ids_from(1, 5));
  CHECK(handed.left_on_disk == 0);

  backlog.recover();
  CHECK(backlog.read_back(inbox.reader()) == 0);
  CHECK(inbox.reads() == 0);
}

TEST_CASE("once stopped, nothing more is read back and the entries stay on disk",
          "[turn_backlog]") {
  FakeInbox inbox;
  QueuedTurns turns;
  TurnBacklog backlog(2, true, turns.queue());
  write_batch(backlog, inbox, ids_from(1, 6));

  backlog.stop();
  CHECK_FALSE(backlog.turn_finished());
  CHECK_FALSE(backlog.turn_finished());
  CHECK(inbox.reads() == 0);
  CHECK(turns.ids == std::vector<Id>{1, 2});
  CHECK(backlog.entries_on_disk());
}

TEST_CASE("a writer and busy turn workers queue every entry once and in order",
          "[turn_backlog]") {
  constexpr Id kEntries = 20000;
  FakeInbox inbox;
  std::mutex queue_mutex;
  std::condition_variable queue_changed;
  std::deque<Id> queue;
  std::vector<Id> order;  // appended under the backlog's lock, so in queueing order
  Id finished = 0;
  TurnBacklog backlog(
      8, true,
      [&](InboundWork, Id id) {
        order.push_back(id);
        std::lock_guard lock(queue_mutex);
        queue.push_back(id);
        queue_changed.notify_one();
      },
      5);

  auto worker = [&] {
    for (;;) {
      {
        std::unique_lock lock(queue_mutex);
        if (!queue_changed.wait_for(lock, std::chrono::seconds(60),
                                    [&] { return !queue.empty() || finished == kEntries; }))
          return;  // stalled: the checks below report what is missing
        if (queue.empty())
          return;
        queue.pop_front();
      }
      finish_turn(backlog, inbox);
      std::lock_guard lock(queue_mutex);
      if (++finished == kEntries)
        queue_changed.notify_all();
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < 3; ++i)
    workers.emplace_back(worker);

  std::mt19937 random(7);
  Id next = 1;
  while (next <= kEntries) {
    const auto size = std::min<Id>(1 + static_cast<Id>(random() % 12), kEntries - next + 1);
    write_batch(backlog, inbox, ids_from(next, next + size - 1));
    next += size;
    if (random() % 4 == 0)
      std::this_thread::yield();  // let the workers catch up now and then
  }
  for (auto& t : workers)
    t.join();

  CHECK(finished == kEntries);
  CHECK(order == ids_from(1, kEntries));
  CHECK_FALSE(backlog.entries_on_disk());
}
