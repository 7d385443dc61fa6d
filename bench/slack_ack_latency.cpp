// Slack acknowledgement latency under load: the real `okr-coach serve` process, signed DM
// events over loopback from several client threads, the fake Slack Web API receiving the
// replies. Reports the ack latency (request written -> 200 read) and how long the dialog work
// queued behind the acks took to drain, so the numbers in bench/results.md can be reproduced
// with `make bench`.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <string>
#include <thread>
#include <vector>

#include "bot/slack/signature.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kSecret = "bench-signing-secret";

std::string unix_now() {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

std::string dm_event(int n, int user) {
  return nlohmann::json{{"type", "event_callback"},
                        {"team_id", "TBENCH"},
                        {"event_id", "EvBench" + std::to_string(n)},
                        {"event",
                         {{"type", "message"},
                          {"channel", "DBENCH" + std::to_string(user)},
                          {"user", "UBENCH" + std::to_string(user)},
                          // Alternating words keep every turn doing real dialog work.
                          {"text", n % 7 == 0 ? "cancel" : (n % 2 ? "draft" : "help")},
                          {"ts", unix_now() + ".0001"},
                          {"channel_type", "im"}}}}
      .dump();
}

// A port nobody listens on right now (the kernel's pick for port 0).
std::uint16_t free_port() {
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

bool wait_until_healthy(std::uint16_t port) {
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline) {
    try {
      if (okr::test::http_request(port, "GET", "/healthz").status == 200) return true;
    } catch (const std::exception&) {
      // not listening yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

double percentile(std::vector<double> sorted, double p) {
  if (sorted.empty()) return 0;
  const auto at = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(at, sorted.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  // Usage: slack_ack_latency [events] [clients] [people]
  const int events = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int clients = argc > 2 ? std::atoi(argv[2]) : 4;
  const int users = argc > 3 ? std::atoi(argv[3]) : 100;
  spdlog::set_level(spdlog::level::warn);  // the fake Slack's access log would drown the result

  okr::test::FakeSlack slack;
  okr::test::TempDir dir;
  // At warn level: nobody drains the child's stderr while the load runs, and a full pipe would
  // stall its logging. So the port is chosen here and readiness is polled instead of read from
  // the "listening on" line.
  const std::uint16_t port = free_port();
  okr::test::Process coach(
      okr::test::okr_coach_binary(),
      okr::test::okr_coach_options(
          {"serve", "--listen", "127.0.0.1:" + std::to_string(port), "--db",
           (dir / "bench.db").string(), "--log-level", "warn"},
          {{"SLACK_SIGNING_SECRET", kSecret},
           {"SLACK_BOT_TOKEN", slack.token()},
           {"SLACK_API_URL", slack.api_url()}}));
  if (!wait_until_healthy(port)) {
    coach.send_signal(SIGTERM);
    coach.wait_exit();
    std::fprintf(stderr, "okr-coach did not start:\n%s\n", coach.err().c_str());
    return 1;
  }

  std::vector<double> latencies_ms(static_cast<std::size_t>(events));
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  std::mutex report_mutex;
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      // Keep-alive, as Slack's senders do; a connection the server ends is replaced.
      std::optional<okr::test::HttpConnection> connection;
      for (int n = next++; n < events; n = next++) {
        const std::string body = dm_event(n, n % users);
        const std::string ts = unix_now();
        try {
          if (!connection) connection.emplace(port);
          const auto sent = Clock::now();
          const auto reply = connection->request(
              "POST", "/slack/events", body,
              {{"Content-Type", "application/json"},
               {"X-Slack-Request-Timestamp", ts},
               {"X-Slack-Signature", okr::bot::slack::compute_signature(kSecret, ts, body)}});
          latencies_ms[static_cast<std::size_t>(n)] =
              std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
          if (reply.status != 200) ++failures;
          if (!reply.keep_alive) connection.reset();
        } catch (const std::exception& e) {
          std::lock_guard lock(report_mutex);
          std::fprintf(stderr, "event %d: %s\n", n, e.what());
          ++failures;
          connection.reset();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const double ack_seconds = std::chrono::duration<double>(Clock::now() - started).count();

  // The dialog work runs after each ack; wait until every event has been answered in Slack.
  std::size_t posted = 0;
  const auto drain_deadline = Clock::now() + std::chrono::seconds(90);
  while (Clock::now() < drain_deadline) {
    posted = slack.calls_to("chat.postMessage").size();
    if (posted >= static_cast<std::size_t>(events)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const double drain_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  coach.send_signal(SIGTERM);
  coach.wait_exit();
  if (failures.load() > 0 || posted < static_cast<std::size_t>(events)) {
    const std::string& err = coach.err();
    std::fprintf(stderr, "okr-coach stderr (last part):\n%s\n",
                 err.substr(err.size() > 6000 ? err.size() - 6000 : 0).c_str());
  }

  std::sort(latencies_ms.begin(), latencies_ms.end());
  std::printf(
      "slack ack latency: %d signed DM events, %d keep-alive clients, %d people\n"
      "  ack p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; non-200: %d\n"
      "  acks done in %.2f s (%.0f events/s); replies posted: %zu of %d after %.2f s\n",
      events, clients, users, percentile(latencies_ms, 0.50), percentile(latencies_ms, 0.90),
      percentile(latencies_ms, 0.99), latencies_ms.back(), failures.load(), ack_seconds,
      events / ack_seconds, posted, events, drain_seconds);
  return failures.load() == 0 && posted >= static_cast<std::size_t>(events) ? 0 : 1;
}
