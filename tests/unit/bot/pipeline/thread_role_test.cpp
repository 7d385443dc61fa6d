#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "bot/pipeline/thread_role.hpp"

using okr::bot::pipeline::kBackgroundNiceStep;
using okr::bot::pipeline::take_thread_role;
using okr::bot::pipeline::ThreadRole;

namespace {

struct Seen {
  std::string name;
  int nice = -100;
};

Seen run_as(const char* name, ThreadRole role) {
  Seen seen;
  std::thread([&] {
    take_thread_role(name, role);
    char buffer[32] = {};
    pthread_getname_np(pthread_self(), buffer, sizeof buffer);
    seen.name = buffer;
    errno = 0;
    seen.nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  }).join();
  return seen;
}

}  // namespace

TEST_CASE("a background thread is named and runs at a lower CPU priority", "[pipeline][threads]") {
  const int own = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  const auto seen = run_as("okr-turn", ThreadRole::background);
  CHECK(seen.name == "okr-turn");
  // Relative to where it started: a test run under `nice` starts above 0.
  CHECK(seen.nice == std::min(own + kBackgroundNiceStep, 19));
}

TEST_CASE("a network thread keeps its priority and a long name is shortened, not refused",
          "[pipeline][threads]") {
  const int own = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  const auto seen = run_as("okr-a-very-long-thread-name", ThreadRole::network);
  CHECK(seen.name == "okr-a-very-long");
  CHECK(seen.nice == own);
}
