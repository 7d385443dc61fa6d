// Dialog turn latency at a fixed rate: signed Slack DM events sent on schedule (open loop, not
// waiting for replies) to the real `okr-coach serve`, spread over many conversations that each
// go through a real multi-turn dialog; the fake Slack notes when each conversation's reply
// arrives. A turn's latency is event sent -> its first reply received by the fake Slack.
// A conversation gets its next event only after its reply came and its DM has been quiet for
// longer than the coach's per-DM pacing (1 message/s), so pacing never counts as turn time.
//
// Usage: turn_latency <turns/s> <conversations> <seconds> [first]
// `first`: every conversation sends exactly one message (10,000 people answering within 10 s);
// the acknowledgement latency is then what matters.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "bench/coach_process.hpp"
#include "bot/slack/signature.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using okr::bench::Clock;
constexpr const char* kSecret = "bench-turn-latency-secret";

// What a person says, in turn: a whole draft conversation, then a look at the result.
const char* const kScript[] = {
    "draft",
    "Make onboarding feel effortless for new teams",
    "New teams are set up within one day",
    "done",
    "cancel",
    "help",
};

struct Conversation {
  std::mutex mutex;
  std::optional<Clock::time_point> awaiting;  // sent, no reply yet
  bool awaiting_first = false;  // the awaited turn is the person's first (first sight)
  std::optional<Clock::time_point> profile_asked;  // users.info for the awaited first turn
  Clock::time_point last_post{};
  int step = 0;
  bool sent_once = false;
};

std::string unix_now() {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

// "DTURN123" / "UTURN123" -> 123; -1 when the channel is not one of ours.
long conversation_index(const std::string& channel) {
  const auto digits = channel.find_first_of("0123456789");
  if (digits == std::string::npos)
    return -1;
  return std::atol(channel.c_str() + digits);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: turn_latency <turns/s> <conversations> <seconds> [first]\n");
    return 2;
  }
  const double rate = std::atof(argv[1]);
  const long conversations = std::atol(argv[2]);
  const double seconds = std::atof(argv[3]);
  const bool first_only = argc > 4 && std::string(argv[4]) == "first";
  spdlog::set_level(spdlog::level::off);

  std::vector<Conversation> state(static_cast<std::size_t>(conversations));
  std::mutex latency_mutex;
  std::vector<double> turn_ms;
  // The same latencies split by kind: a person's first turn (first sight: the coach also asks
  // Slack for their profile) and every later one, to see which of them makes the tail.
  std::vector<double> first_turn_ms, later_turn_ms;
  std::vector<double> first_wait_ms, first_rest_ms;  // see the users.info answer below
  // Per second of the run (by when the event was sent): the slowest turn, to see when the tail
  // happens (OKR_BENCH_TURN_SECONDS=1 prints them on stderr).
  std::vector<double> slowest_by_second(64, 0.0);
  const auto run_start = Clock::now();
  std::atomic<long> replies{0};

  okr::test::FakeSlack slack;
  slack.answer_method("chat.postMessage", [&](const nlohmann::json& fields) {
    const auto channel = fields.value("channel", std::string());
    const long index = conversation_index(channel);
    const auto now = Clock::now();
    if (index >= 0 && index < conversations) {
      auto& c = state[static_cast<std::size_t>(index)];
      std::lock_guard lock(c.mutex);
      if (c.awaiting) {
        std::lock_guard record(latency_mutex);
        const double ms = std::chrono::duration<double, std::milli>(now - *c.awaiting).count();
        turn_ms.push_back(ms);
        (c.awaiting_first ? first_turn_ms : later_turn_ms).push_back(ms);
        if (c.awaiting_first && c.profile_asked) {
          first_wait_ms.push_back(
              std::chrono::duration<double, std::milli>(*c.profile_asked - *c.awaiting).count());
          first_rest_ms.push_back(
              std::chrono::duration<double, std::milli>(now - *c.profile_asked).count());
          c.profile_asked.reset();
        }
        const auto second = static_cast<std::size_t>(
            std::chrono::duration<double>(*c.awaiting - run_start).count());
        if (second < slowest_by_second.size())
          slowest_by_second[second] = std::max(slowest_by_second[second], ms);
        c.awaiting.reset();
        ++replies;
      }
      c.last_post = now;
    }
    static std::atomic<long> ts{0};
    return nlohmann::json{{"ok", true},
                          {"channel", channel},
                          {"ts", "1700000000." + std::to_string(100000 + ++ts)}};
  });

  // A first turn asks users.info before it runs (the coach refreshes a person's profile on first
  // sight): noting when that call arrives splits the first turns' latency into the wait before
  // a turn worker took the event and the rest (profile call, turn, commit, dispatch).
  slack.answer_method("users.info", [&](const nlohmann::json& fields) {
    const auto user = fields.value("user", std::string());
    const long index = conversation_index(user);
    if (index >= 0 && index < conversations) {
      auto& c = state[static_cast<std::size_t>(index)];
      std::lock_guard lock(c.mutex);
      if (c.awaiting && c.awaiting_first)
        c.profile_asked = Clock::now();
    }
    return nlohmann::json{{"ok", true},
                          {"user",
                           {{"id", user},
                            {"name", "name-" + user},
                            {"real_name", "Real " + user},
                            {"tz", "Europe/Berlin"},
                            {"tz_offset", 3600},
                            {"profile", {{"display_name", "Display " + user}}}}}};
  });

  okr::test::TempDir dir;
  const auto port = okr::bench::free_port();
  auto options = okr::bench::coach_options(port, (dir / "turns.db").string(), kSecret,
                                           slack.token(), slack.api_url());
  // OKR_BENCH_COACH_THREADS: serve's --threads (HTTP threads; turn workers up to 4), to see
  // whether the turns wait for a free worker.
  if (const char* threads = std::getenv("OKR_BENCH_COACH_THREADS"); threads && *threads) {
    options.args.push_back("--threads");
    options.args.push_back(threads);
  }
  okr::test::Process coach(okr::bench::coach_binary(), options);
  if (okr::bench::wait_until_ready(port, Clock::now()).count() < 0) {
    std::fprintf(stderr, "okr-coach did not start:\n%s\n", coach.err().c_str());
    return 1;
  }

  // Each sender owns every k-th conversation and 1/k of the rate, so a slow acknowledgement on
  // one connection delays only its own share.
  const int senders = 4;
  std::vector<double> ack_ms;
  std::atomic<long> sent{0}, skipped{0}, failed{0};
  std::mutex ack_mutex;
  const auto started = Clock::now();
  const auto until = started + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (int k = 0; k < senders; ++k) {
    threads.emplace_back([&, k] {
      const auto interval = std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(senders / rate));
      std::optional<okr::test::HttpConnection> connection;
      long cursor = k;
      long n = 0;
      std::vector<double> mine;
      for (auto next = started + k * interval / senders; next < until; next += interval) {
        std::this_thread::sleep_until(next);
        // The next conversation of ours that is ready for its next message.
        long chosen = -1;
        for (long tried = 0; tried < conversations / senders + 1; ++tried) {
          auto& c = state[static_cast<std::size_t>(cursor)];
          const long here = cursor;
          cursor += senders;
          if (cursor >= conversations)
            cursor = k;
          std::lock_guard lock(c.mutex);
          const auto now = Clock::now();
          const bool ready = first_only ? !c.sent_once
                                        : !c.awaiting && now - c.last_post > std::chrono::milliseconds(1200);
          if (ready) {
            c.awaiting = now;
            c.awaiting_first = !c.sent_once;
            c.sent_once = true;
            chosen = here;
            break;
          }
        }
        if (chosen < 0) {
          ++skipped;
          continue;
        }
        auto& c = state[static_cast<std::size_t>(chosen)];
        const std::string text = kScript[c.step++ % std::size(kScript)];
        const std::string ts = unix_now();
        const std::string body =
            nlohmann::json{{"type", "event_callback"},
                           {"team_id", "TTURN"},
                           {"event_id", "EvTurn" + std::to_string(k) + "x" + std::to_string(n++)},
                           {"event",
                            {{"type", "message"},
                             {"channel", "DTURN" + std::to_string(chosen)},
                             {"user", "UTURN" + std::to_string(chosen)},
                             {"text", text},
                             {"ts", ts + "." + std::to_string(100000 + n)},
                             {"channel_type", "im"}}}}
                .dump();
        try {
          if (!connection)
            connection.emplace(port);
          const auto at = Clock::now();
          const auto reply = connection->request(
              "POST", "/slack/events", body,
              {{"Content-Type", "application/json"},
               {"X-Slack-Request-Timestamp", ts},
               {"X-Slack-Signature", okr::bot::slack::compute_signature(kSecret, ts, body)}});
          mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - at).count());
          if (reply.status != 200)
            ++failed;
          if (!reply.keep_alive)
            connection.reset();
          ++sent;
        } catch (const std::exception&) {
          ++failed;
          connection.reset();
        }
      }
      std::lock_guard lock(ack_mutex);
      ack_ms.insert(ack_ms.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads)
    t.join();
  const double sending = std::chrono::duration<double>(Clock::now() - started).count();
  // The last turns' replies: wait for them a little (unanswered ones count as missing).
  const auto drain_until = Clock::now() + std::chrono::seconds(first_only ? 60 : 10);
  while (Clock::now() < drain_until && replies.load() < sent.load())
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const long peak_rss = okr::bench::proc_status_kb(coach.pid(), "VmHWM");
  coach.send_signal(SIGTERM);
  coach.wait_exit(std::chrono::seconds(10));

  std::lock_guard lock(latency_mutex);
  if (const char* by_second = std::getenv("OKR_BENCH_TURN_SECONDS"); by_second && *by_second == '1') {
    std::fprintf(stderr, "slowest turn per second of the run (ms):");
    for (std::size_t i = 0; i < static_cast<std::size_t>(seconds) + 1 && i < slowest_by_second.size(); ++i)
      std::fprintf(stderr, " %.0f", slowest_by_second[i]);
    std::fprintf(stderr, "\n");
    std::fprintf(stderr,
                 "first turns: until users.info p50 %.2f p99 %.2f max %.2f ms; from it to the "
                 "reply p50 %.2f p99 %.2f max %.2f ms\n",
                 okr::bench::percentile(first_wait_ms, 0.5), okr::bench::percentile(first_wait_ms, 0.99),
                 okr::bench::percentile(first_wait_ms, 1.0), okr::bench::percentile(first_rest_ms, 0.5),
                 okr::bench::percentile(first_rest_ms, 0.99), okr::bench::percentile(first_rest_ms, 1.0));
  }
  std::printf(
      "TURNS mode=%s rate=%.0f conversations=%ld seconds=%.1f sent=%ld achieved=%.0f "
      "skipped=%ld failed=%ld replied=%ld turn_p50=%.2f turn_p99=%.2f turn_max=%.2f "
      "ack_p50=%.2f ack_p99=%.2f ack_max=%.2f peak_rss_kb=%ld first_turns=%zu first_p99=%.2f "
      "first_max=%.2f later_turns=%zu later_p99=%.2f later_max=%.2f\n",
      first_only ? "first" : "dialog", rate, conversations, seconds, sent.load(),
      static_cast<double>(sent.load()) / sending, skipped.load(), failed.load(), replies.load(),
      okr::bench::percentile(turn_ms, 0.50), okr::bench::percentile(turn_ms, 0.99),
      okr::bench::percentile(turn_ms, 1.0), okr::bench::percentile(ack_ms, 0.50),
      okr::bench::percentile(ack_ms, 0.99), okr::bench::percentile(ack_ms, 1.0), peak_rss,
      first_turn_ms.size(), okr::bench::percentile(first_turn_ms, 0.99),
      okr::bench::percentile(first_turn_ms, 1.0), later_turn_ms.size(),
      okr::bench::percentile(later_turn_ms, 0.99), okr::bench::percentile(later_turn_ms, 1.0));
  return failed.load() == 0 ? 0 : 1;
}
