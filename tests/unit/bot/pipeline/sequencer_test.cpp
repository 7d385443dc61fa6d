#include "bot/pipeline/sequencer.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace pipeline = okr::bot::pipeline;

namespace {

// A one-shot gate: wait() blocks until open() — lets a test prove two tasks run at the same
// time without looking at a clock.
class Gate {
 public:
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    cv_.notify_all();
  }
  // False if the gate stayed shut for a very long time (a deadlock would otherwise hang ctest).
  bool wait() {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::seconds(30), [&] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

}  // namespace

TEST_CASE("turns of one conversation run in submission order even when submitted from many threads",
          "[pipeline][sequencer]") {
  pipeline::Sequencer sequencer(4);
  std::mutex mutex;
  std::map<std::string, std::vector<int>> seen;
  std::map<std::string, int> running;
  bool overlapped_itself = false;

  // Each producer thread owns some conversations and submits their turns 0..n-1 in order,
  // interleaved with the other producers.
  std::vector<std::thread> producers;
  for (int p = 0; p < 4; ++p) {
    producers.emplace_back([&, p] {
      for (int turn = 0; turn < 200; ++turn) {
        for (int c = 0; c < 3; ++c) {
          const std::string key = "conv-" + std::to_string(p) + "-" + std::to_string(c);
          sequencer.submit(key, [&, key, turn] {
            {
              std::lock_guard lock(mutex);
              if (running[key]++ > 0)
                overlapped_itself = true;
              seen[key].push_back(turn);
            }
            std::this_thread::yield();
            std::lock_guard lock(mutex);
            --running[key];
          });
        }
      }
    });
  }
  for (auto& t : producers)
    t.join();
  sequencer.drain();

  CHECK_FALSE(overlapped_itself);
  REQUIRE(seen.size() == 12);
  for (const auto& [key, turns] : seen) {
    INFO(key);
    REQUIRE(turns.size() == 200);
    for (int i = 0; i < 200; ++i)
      CHECK(turns[static_cast<std::size_t>(i)] == i);
  }
}

TEST_CASE("different conversations run at the same time", "[pipeline][sequencer]") {
  pipeline::Sequencer sequencer(2);
  Gate a_started, b_started;
  std::atomic<bool> a_saw_b{false}, b_saw_a{false};
  // Each task waits for the other to have started: only possible if both run concurrently.
  sequencer.submit("A", [&] {
    a_started.open();
    a_saw_b = b_started.wait();
  });
  sequencer.submit("B", [&] {
    b_started.open();
    b_saw_a = a_started.wait();
  });
  sequencer.drain();
  CHECK(a_saw_b);
  CHECK(b_saw_a);
}

TEST_CASE("a conversation waits for its running turn while others go ahead",
          "[pipeline][sequencer]") {
  pipeline::Sequencer sequencer(2);
  Gate release_first, other_done;
  std::vector<std::string> order;
  std::mutex mutex;
  const auto note = [&](std::string what) {
    std::lock_guard lock(mutex);
    order.push_back(std::move(what));
  };
  sequencer.submit("A", [&] {
    release_first.wait();
    note("A1");
  });
  sequencer.submit("A", [&] { note("A2"); });
  sequencer.submit("B", [&] {
    note("B1");
    other_done.open();
  });
  REQUIRE(other_done.wait());  // B ran although A1 is still blocked
  release_first.open();
  sequencer.drain();
  CHECK(order == std::vector<std::string>{"B1", "A1", "A2"});
}

TEST_CASE("a failing turn does not stop its conversation", "[pipeline][sequencer]") {
  pipeline::Sequencer sequencer(1);
  std::vector<int> ran;
  sequencer.submit("A", [&] {
    ran.push_back(1);
    throw std::runtime_error("engine bug");
  });
  sequencer.submit("A", [&] { ran.push_back(2); });
  sequencer.drain();
  CHECK(ran == std::vector<int>{1, 2});
}

TEST_CASE("stop finishes queued turns and refuses new ones", "[pipeline][sequencer]") {
  pipeline::Sequencer sequencer(2);
  std::atomic<int> ran{0};
  for (int i = 0; i < 50; ++i)
    sequencer.submit("conv-" + std::to_string(i % 5), [&] { ++ran; });
  sequencer.stop();
  CHECK(ran == 50);
  CHECK_FALSE(sequencer.submit("late", [&] { ++ran; }));
  CHECK(sequencer.queued() == 0);
  sequencer.stop();  // idempotent
}

TEST_CASE("each task learns which worker runs it", "[pipeline][sequencer]") {
  pipeline::Sequencer sequencer(3);
  std::atomic<bool> in_range{true};
  for (int i = 0; i < 30; ++i) {
    sequencer.submit("c" + std::to_string(i), pipeline::Sequencer::Task([&](std::size_t worker) {
                       if (worker >= 3)
                         in_range = false;
                     }));
  }
  sequencer.drain();
  CHECK(in_range);
  CHECK(sequencer.workers() == 3);
}
