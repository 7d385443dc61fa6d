// Failed turns are retried with backoff behind their own conversation only (bot/app/
// slack_turn_retries). Delays here are a few milliseconds; the tests wait for outcomes, never
// measure time.
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "bot/app/slack_turn_retries.hpp"
#include "bot/pipeline/sequencer.hpp"

using okr::bot::app::backoff_delay;
using okr::bot::app::RetryableTurn;
using okr::bot::app::RetryPolicy;
using okr::bot::app::TurnRetries;
using okr::bot::pipeline::Sequencer;

namespace {

RetryPolicy fast_policy() {
  RetryPolicy policy;
  policy.max_attempts = 5;
  policy.first_delay = std::chrono::milliseconds(5);
  return policy;
}

// A log of what ran, shared by the turns of a test.
struct Journal {
  std::mutex mutex;
  std::vector<std::string> lines;
  void add(std::string line) {
    std::lock_guard lock(mutex);
    lines.push_back(std::move(line));
  }
  std::vector<std::string> snapshot() {
    std::lock_guard lock(mutex);
    return lines;
  }
};

// Waits (bounded, only to stop a broken run) until `done` holds.
template <typename Predicate>
bool eventually(Predicate done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > until)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

RetryableTurn recording(Journal& journal, std::string name) {
  RetryableTurn turn;
  turn.attempt = [&journal, name] { journal.add(name); };
  return turn;
}

}  // namespace

TEST_CASE("backoff doubles from the first delay", "[slack][retry]") {
  RetryPolicy policy;
  CHECK(backoff_delay(policy, 1) == std::chrono::milliseconds(1000));
  CHECK(backoff_delay(policy, 2) == std::chrono::milliseconds(2000));
  CHECK(backoff_delay(policy, 3) == std::chrono::milliseconds(4000));
  CHECK(backoff_delay(policy, 4) == std::chrono::milliseconds(8000));
}

TEST_CASE("a turn that fails twice succeeds on its third attempt and later turns wait for it",
          "[slack][retry]") {
  Sequencer sequencer(2);
  TurnRetries retries(sequencer, fast_policy(), 7);
  Journal journal;
  std::atomic<int> tries{0};
  std::vector<std::pair<int, bool>> failures;
  std::mutex failures_mutex;

  RetryableTurn flaky;
  flaky.attempt = [&] {
    if (++tries < 3)
      throw std::runtime_error("database is locked");
    journal.add("first");
  };
  flaky.failed = [&](const std::string& error, int attempts, bool final) {
    CHECK(error == "database is locked");
    std::lock_guard lock(failures_mutex);
    failures.emplace_back(attempts, final);
  };
  retries.submit("ada", flaky);
  retries.submit("ada", recording(journal, "second"));
  retries.submit("ada", recording(journal, "third"));

  REQUIRE(eventually([&] { return journal.snapshot().size() == 3; }));
  CHECK(journal.snapshot() == std::vector<std::string>{"first", "second", "third"});
  CHECK(tries == 3);
  std::lock_guard lock(failures_mutex);
  CHECK(failures == std::vector<std::pair<int, bool>>{{1, false}, {2, false}});
}

TEST_CASE("a held conversation does not hold up other people, even with one worker",
          "[slack][retry]") {
  Sequencer sequencer(1);
  RetryPolicy slow = fast_policy();
  slow.first_delay = std::chrono::hours(1);  // ada's retry will not come during the test
  TurnRetries retries(sequencer, slow, 7);
  Journal journal;

  RetryableTurn broken;
  broken.attempt = [] { throw std::runtime_error("disk I/O error"); };
  broken.failed = [](const std::string&, int, bool) {};
  retries.submit("ada", broken);
  retries.submit("ada", recording(journal, "ada later"));
  retries.submit("bob", recording(journal, "bob"));

  REQUIRE(eventually([&] { return !journal.snapshot().empty(); }));
  sequencer.drain();
  CHECK(journal.snapshot() == std::vector<std::string>{"bob"});
  CHECK(retries.held() == 1);
  retries.stop();
}

TEST_CASE("after the last attempt the turn is given up and the next one runs", "[slack][retry]") {
  Sequencer sequencer(1);
  TurnRetries retries(sequencer, fast_policy(), 7);
  Journal journal;
  std::atomic<int> tries{0};
  std::atomic<int> finals{0};
  std::atomic<int> last_attempts{0};

  RetryableTurn broken;
  broken.attempt = [&] {
    ++tries;
    throw std::runtime_error("constraint failed");
  };
  broken.failed = [&](const std::string&, int attempts, bool final) {
    last_attempts = attempts;
    if (final)
      ++finals;
  };
  retries.submit("ada", broken);
  retries.submit("ada", recording(journal, "after"));

  REQUIRE(eventually([&] { return journal.snapshot().size() == 1; }));
  CHECK(tries == 5);
  CHECK(finals == 1);
  CHECK(last_attempts == 5);
  CHECK(retries.held() == 0);
}

TEST_CASE("stopping drops a waiting retry without running it", "[slack][retry]") {
  Sequencer sequencer(1);
  RetryPolicy slow = fast_policy();
  slow.first_delay = std::chrono::hours(1);
  TurnRetries retries(sequencer, slow, 7);
  std::atomic<int> tries{0};
  RetryableTurn broken;
  broken.attempt = [&] {
    ++tries;
    throw std::runtime_error("locked");
  };
  retries.submit("ada", broken);
  REQUIRE(eventually([&] { return retries.held() == 1; }));
  retries.stop();
  sequencer.stop();
  CHECK(tries == 1);
  CHECK(retries.held() == 0);
}
