#include "bot/app/freed_memory.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

// The sanitizers bring their own allocator (glibc's arenas are not in use), so there is nothing
// to test with them and the helpers below would be unused.
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define OKR_GLIBC_HEAP 1
#endif

#ifdef OKR_GLIBC_HEAP
namespace {

long resident_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stol(line.substr(6));
  return 0;
}

// What a drained backlog leaves: many blocks freed, with a few long-lived ones among them that
// keep the heap from shrinking at its top. Returns the long-lived blocks.
std::vector<void*> free_most_of(std::size_t megabytes) {
  std::vector<void*> all;
  const std::size_t count = megabytes * 1024;
  all.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    void* block = std::malloc(1024);
    std::memset(block, 0x5a, 1024);  // resident, as a queued turn's memory was
    all.push_back(block);
  }
  std::vector<void*> kept;
  for (std::size_t i = 0; i < count; ++i) {
    if (i % 64 == 63)
      kept.push_back(all[i]);
    else
      std::free(all[i]);
  }
  return kept;
}

}  // namespace
#endif

TEST_CASE("memory freed after a burst goes back to the system, a quiet heap is left alone",
          "[freed_memory]") {
#ifndef OKR_GLIBC_HEAP
  SUCCEED("the sanitizers bring their own allocator; glibc's arenas are not in use");
#else
  okr::bot::app::FreedMemory freed(std::chrono::hours(1), std::size_t{16} << 20);
  freed.return_if_worthwhile();  // whatever earlier tests in this process left behind
  CHECK_FALSE(freed.return_if_worthwhile());

  const auto kept = free_most_of(64);
  const long before = resident_kb();
  CHECK(freed.return_if_worthwhile());
  const long after = resident_kb();
  // 63 of every 64 KiB were freed; nearly all of it is whole pages the trim can hand back.
  CHECK(before - after > 32 * 1024);
  CHECK_FALSE(freed.return_if_worthwhile());

  for (void* block : kept)
    std::free(block);
#endif
}
