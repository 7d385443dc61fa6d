#pragma once
// What the benchmark drivers share to run the real `okr-coach serve` on loopback: a free port,
// the child started with a fake Slack's URL and token, and readiness polled on /readyz (the
// child's log stays at error level: nobody drains its pipe while the load runs).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"

namespace okr::bench {

using Clock = std::chrono::steady_clock;

// The okr-coach binary under test: the one built with the benchmarks, or OKR_BENCH_COACH (to
// compare an older build with the same drivers).
inline std::string coach_binary() {
  const char* other = std::getenv("OKR_BENCH_COACH");
  return other != nullptr && *other != '\0' ? std::string(other) : okr::test::okr_coach_binary();
}

// A port nobody listens on right now (the kernel's pick for port 0).
inline std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

// Polls /readyz every 2 ms; returns how long it took until it answered 200, or a negative
// duration when it never did within 60 s.
inline std::chrono::duration<double, std::milli> wait_until_ready(std::uint16_t port,
                                                                   Clock::time_point since) {
  const auto deadline = since + std::chrono::seconds(60);
  while (Clock::now() < deadline) {
    try {
      if (okr::test::http_request(port, "GET", "/readyz").status == 200)
        return Clock::now() - since;
    } catch (const std::exception&) {
      // not listening yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return std::chrono::milliseconds(-1);
}

inline okr::test::ProcessOptions coach_options(std::uint16_t port, const std::string& db,
                                               const std::string& secret,
                                               const std::string& token,
                                               const std::string& api_url) {
  return okr::test::okr_coach_options(
      {"serve", "--listen", "127.0.0.1:" + std::to_string(port), "--db", db, "--log-level",
       "error"},
      {{"SLACK_SIGNING_SECRET", secret}, {"SLACK_BOT_TOKEN", token}, {"SLACK_API_URL", api_url}});
}

// A field of /proc/<pid>/status in kB (VmRSS, VmHWM); 0 when it cannot be read.
inline long proc_status_kb(int pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0)
      return std::stol(line.substr(field.size() + 1));
  }
  return 0;
}

inline double percentile(std::vector<double> values, double p) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  const auto at = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(at, values.size() - 1)];
}

}  // namespace okr::bench
