// A program that is wrong on purpose, built with the sanitizer defaults of okr-coach. The
// sanitizer_canary test runs it and expects a report file: proof that a finding in a child
// process, started without our environment, reaches the log the run checks.
#include <climits>
#include <thread>

namespace {
int shared_counter = 0;
}

int main(int argc, char**) {
#if defined(__SANITIZE_THREAD__)
  // Two unsynchronised writers: a data race.
  std::thread first([] { ++shared_counter; });
  std::thread second([] { ++shared_counter; });
  first.join();
  second.join();
  return shared_counter == 2 ? 0 : 1;
#else
  // Signed overflow: undefined behaviour, which traps in the address build.
  int big = INT_MAX;
  big += argc;
  return big == 0 ? 1 : 0;
#endif
}
