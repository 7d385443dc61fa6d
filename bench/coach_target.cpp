// The okr-coach side of the ingest benchmark: a fake Slack Web API (receiving the replies of the
// turns queued behind each acknowledgement) and the real `okr-coach serve` on a fresh database.
// Prints "ready <port> <pid>" once /readyz answers, then waits for its stdin to close (run.sh
// holds it open for the wrk run) and prints what the fake Slack received before stopping.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "bench/coach_process.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: coach_target <signing secret> [threads]\n");
    return 2;
  }
  spdlog::set_level(spdlog::level::off);  // the fake's access log would cost more than the coach
  okr::test::FakeSlack slack;
  okr::test::TempDir dir;
  const std::uint16_t port = okr::bench::free_port();
  auto options = okr::bench::coach_options(port, (dir / "bench.db").string(), argv[1],
                                           slack.token(), slack.api_url());
  if (argc > 2)
    options.args.insert(options.args.end(), {"--threads", argv[2]});
  okr::test::Process coach(okr::bench::coach_binary(), options);
  if (okr::bench::wait_until_ready(port, okr::bench::Clock::now()).count() < 0) {
    coach.send_signal(SIGTERM);
    coach.wait_exit();
    std::fprintf(stderr, "okr-coach did not start:\n%s\n", coach.err().c_str());
    return 1;
  }
  std::printf("ready %u %d\n", static_cast<unsigned>(port), static_cast<int>(coach.pid()));
  std::fflush(stdout);
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  const auto posted = slack.calls_to("chat.postMessage").size();
  // The turns still queued behind the acknowledgements are not part of the measurement: a
  // short grace to stop, then the Process destructor kills it.
  coach.send_signal(SIGTERM);
  coach.wait_exit(std::chrono::seconds(3));
  std::printf("replies posted %zu\n", posted);
  const std::string& err = coach.err();
  if (!err.empty())
    std::fprintf(stderr, "%s\n", err.substr(err.size() > 4000 ? err.size() - 4000 : 0).c_str());
  return 0;
}
