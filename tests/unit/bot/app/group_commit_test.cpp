#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bot/app/group_commit.hpp"

using okr::bot::app::GroupCommit;

namespace {

struct Item {
  int n = 0;
  bool written = false;  // set by the batch write: "durably stored"
  std::size_t batch_size = 0;
};

// A gate the first batch waits at until the test lets it go, so the other writers pile up.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool open = false;
  int entered = 0;

  void enter_and_wait() {
    std::unique_lock lock(mutex);
    ++entered;
    changed.notify_all();
    changed.wait(lock, [&] { return open; });
  }
  void wait_entered() {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return entered > 0; });
  }
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    changed.notify_all();
  }
};

}  // namespace

TEST_CASE("a lone write is written at once in a batch of its own", "[group_commit]") {
  std::vector<std::size_t> sizes;
  GroupCommit<Item> commit([&](const std::vector<Item*>& batch) {
    sizes.push_back(batch.size());
    for (auto* item : batch)
      item->written = true;
  });
  Item item;
  commit.write(item);
  CHECK(item.written);
  CHECK(sizes == std::vector<std::size_t>{1});
}

TEST_CASE("writers that arrive during a write share the next batch and each returns after it",
          "[group_commit]") {
  Gate gate;
  std::mutex sizes_mutex;
  std::vector<std::size_t> sizes;
  GroupCommit<Item> commit([&](const std::vector<Item*>& batch) {
    if (batch.front()->n == 0)
      gate.enter_and_wait();
    for (auto* item : batch) {
      item->written = true;
      item->batch_size = batch.size();
    }
    std::lock_guard lock(sizes_mutex);
    sizes.push_back(batch.size());
  });
  std::vector<Item> items(9);
  for (int i = 0; i < 9; ++i)
    items[static_cast<std::size_t>(i)].n = i;
  std::atomic<int> returned_unwritten{0};
  std::vector<std::thread> writers;
  writers.emplace_back([&] {
    commit.write(items[0]);
    if (!items[0].written)
      ++returned_unwritten;
  });
  gate.wait_entered();  // the first batch is being written and held
  for (std::size_t i = 1; i < items.size(); ++i) {
    writers.emplace_back([&, i] {
      commit.write(items[i]);
      if (!items[i].written)
        ++returned_unwritten;
    });
  }
  while (commit.queued() < 8)  // all eight wait behind the held batch
    std::this_thread::yield();
  gate.release();
  for (auto& t : writers)
    t.join();
  CHECK(returned_unwritten.load() == 0);
  std::size_t total = 0;
  for (auto s : sizes)
    total += s;
  CHECK(total == 9);
  // The eight that waited behind the held batch were written together in the next one.
  CHECK(sizes == std::vector<std::size_t>{1, 8});
}

TEST_CASE("a batch whose write fails fails every request in it and only those",
          "[group_commit]") {
  Gate gate;
  GroupCommit<Item> commit([&](const std::vector<Item*>& batch) {
    if (batch.front()->n == 0) {
      gate.enter_and_wait();
      for (auto* item : batch)
        item->written = true;
      return;
    }
    throw std::runtime_error("disk I/O error");  // e.g. the COMMIT failed: nothing stored
  });
  std::vector<Item> items(5);
  for (int i = 0; i < 5; ++i)
    items[static_cast<std::size_t>(i)].n = i;
  std::atomic<int> failed{0}, succeeded{0};
  auto write = [&](Item& item) {
    try {
      commit.write(item);
      ++succeeded;
    } catch (const std::runtime_error& e) {
      if (std::string(e.what()) == "disk I/O error")
        ++failed;
    }
  };
  std::thread first([&] { write(items[0]); });
  gate.wait_entered();
  std::vector<std::thread> rest;
  for (std::size_t i = 1; i < items.size(); ++i)
    rest.emplace_back([&, i] { write(items[i]); });
  while (commit.queued() < 4)
    std::this_thread::yield();
  gate.release();
  first.join();
  for (auto& t : rest)
    t.join();
  CHECK(succeeded.load() == 1);
  CHECK(failed.load() == 4);
  for (std::size_t i = 1; i < items.size(); ++i)
    CHECK_FALSE(items[i].written);
}

TEST_CASE("an asynchronous item is completed once its batch was written, with its error",
          "[group_commit]") {
  bool fail = false;
  GroupCommit<Item> commit([&](const std::vector<Item*>& batch) {
    if (fail)
      throw std::runtime_error("database is locked");
    for (auto* item : batch)
      item->written = true;
  });
  Item ok_item, failed_item;
  bool ok_done = false, failed_done = false;
  commit.write_async(ok_item, [&](Item& item, std::exception_ptr error) {
    CHECK(&item == &ok_item);
    CHECK(item.written);
    CHECK_FALSE(error);
    ok_done = true;
  });
  fail = true;
  commit.write_async(failed_item, [&](Item& item, std::exception_ptr error) {
    CHECK_FALSE(item.written);
    CHECK(error);
    failed_done = true;
  });
  CHECK(ok_done);
  CHECK(failed_done);
  CHECK(commit.batches() == 2);
}

TEST_CASE("many concurrent writers are each written exactly once", "[group_commit]") {
  std::mutex seen_mutex;
  std::vector<int> seen;
  GroupCommit<Item> commit(
      [&](const std::vector<Item*>& batch) {
        std::lock_guard lock(seen_mutex);
        for (auto* item : batch) {
          seen.push_back(item->n);
          item->written = true;
        }
      },
      4);
  constexpr int kThreads = 8, kEach = 200;
  std::atomic<int> unwritten{0};  // Catch2 assertions are not thread-safe: counted, checked below
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        Item item;
        item.n = t * kEach + i;
        commit.write(item);
        if (!item.written)
          ++unwritten;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  CHECK(unwritten.load() == 0);
  std::sort(seen.begin(), seen.end());
  REQUIRE(seen.size() == static_cast<std::size_t>(kThreads * kEach));
  for (int i = 0; i < kThreads * kEach; ++i)
    CHECK(seen[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("with a writer thread, callers only queue and the writer writes every batch",
          "[group_commit]") {
  Gate gate;
  std::mutex mutex;
  std::vector<std::size_t> sizes;
  std::set<std::thread::id> writing_threads;
  GroupCommit<Item> commit([&](const std::vector<Item*>& batch) {
    if (batch.front()->n == 0)
      gate.enter_and_wait();
    std::lock_guard lock(mutex);
    sizes.push_back(batch.size());
    writing_threads.insert(std::this_thread::get_id());
    for (auto* item : batch)
      item->written = true;
  });
  std::thread::id writer_id;
  commit.start_writer([&] { writer_id = std::this_thread::get_id(); });

  std::vector<Item> items(6);
  std::atomic<int> done{0}, done_unwritten{0}, failed{0};
  auto finished = [&](Item& item, std::exception_ptr error) {
    if (error)
      ++failed;
    if (!item.written)
      ++done_unwritten;
    ++done;
  };
  items[0].n = 0;
  commit.write_async(items[0], finished);  // returns at once: the writer holds it at the gate
  gate.wait_entered();
  for (int i = 1; i < 5; ++i) {
    items[static_cast<std::size_t>(i)].n = i;
    commit.write_async(items[static_cast<std::size_t>(i)], finished);
  }
  CHECK(done.load() == 0);  // nothing is answered before its batch was written
  std::thread sync_caller([&] { commit.write(items[5]); });
  while (commit.queued() < 5)
    std::this_thread::yield();
  gate.release();
  sync_caller.join();
  commit.stop_writer();

  CHECK(done.load() == 5);
  CHECK(done_unwritten.load() == 0);
  CHECK(failed.load() == 0);
  CHECK(items[5].written);
  CHECK(sizes == std::vector<std::size_t>{1, 5});
  REQUIRE(writing_threads.size() == 1);
  CHECK(*writing_threads.begin() == writer_id);
  CHECK(writer_id != std::this_thread::get_id());
}

TEST_CASE("stopping the writer writes what is queued first; callers then write for themselves",
          "[group_commit]") {
  Gate gate;
  std::atomic<int> batches_written{0};
  GroupCommit<Item> commit([&](const std::vector<Item*>& batch) {
    if (batch.front()->n == 0)
      gate.enter_and_wait();
    for (auto* item : batch)
      item->written = true;
    ++batches_written;
  });
  commit.start_writer();
  std::vector<Item> items(4);
  std::atomic<int> done{0};
  for (int i = 0; i < 4; ++i) {
    items[static_cast<std::size_t>(i)].n = i;
    commit.write_async(items[static_cast<std::size_t>(i)],
                       [&](Item&, std::exception_ptr) { ++done; });
    if (i == 0)
      gate.wait_entered();
  }
  std::thread stopper([&] { commit.stop_writer(); });
  gate.release();
  stopper.join();
  CHECK(done.load() == 4);
  for (const auto& item : items)
    CHECK(item.written);

  Item later;
  later.n = 9;
  commit.write(later);  // no writer any more: the caller leads
  CHECK(later.written);
  CHECK(batches_written.load() == 3);
}
