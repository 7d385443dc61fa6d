// Footprint of `okr-coach serve`: start-up time to /readyz = 200 and idle RSS on an empty
// database, RSS with many open dialogs, start-up on a large database (filled with finished inbox
// history, the table that grows with traffic), and the binary's size is run.sh's.
//
// Open dialogs are measured at n, 2n and 4n (each step a burst of new people starting a draft).
// The RSS at n alone mixes the cost of a dialog with things that fill once and then stop
// growing (SQLite's page caches, the allocator's arenas, the first connections); the slope
// between n and 4n is what one more open dialog costs, which is what "bytes per open dialog"
// means. Both are printed. Then n more people arrive in one burst: burst_kept_bytes is what the
// process still holds per person of the burst once every turn is answered (mostly the queue of
// waiting turns, freed but kept by the allocator), and peak_rss_kb its high-water mark.
//
// Usage: footprint <open dialogs> [big database MB]          (the footprint line)
//        footprint <events> callgrind <out file>             (instruction counts: the events
//        are signed DMs sent while callgrind collects; run.sh divides by their number)
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "bench/coach_process.hpp"
#include "bot/slack/signature.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using okr::bench::Clock;
constexpr const char* kSecret = "bench-footprint-secret";

std::string unix_now() {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

// Sends one DM from each of `people` distinct people (numbered from `first`) over 4 keep-alive
// connections; returns how many were not acknowledged with 200.
long send_dms(std::uint16_t port, long people, const std::string& text, const std::string& tag,
              long first = 0) {
  std::atomic<long> next{0}, failed{0};
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&] {
      std::optional<okr::test::HttpConnection> connection;
      for (long n = next++; n < people; n = next++) {
        const std::string ts = unix_now();
        const std::string body =
            nlohmann::json{{"type", "event_callback"},
                           {"team_id", "TFOOT"},
                           {"event_id", "Ev" + tag + std::to_string(first + n)},
                           {"event",
                            {{"type", "message"},
                             {"channel", "DFOOT" + std::to_string(first + n)},
                             {"user", "UFOOT" + std::to_string(first + n)},
                             {"text", text},
                             {"ts", ts + ".000100"},
                             {"channel_type", "im"}}}}
                .dump();
        try {
          if (!connection)
            connection.emplace(port);
          const auto reply = connection->request(
              "POST", "/slack/events", body,
              {{"Content-Type", "application/json"},
               {"X-Slack-Request-Timestamp", ts},
               {"X-Slack-Signature", okr::bot::slack::compute_signature(kSecret, ts, body)}});
          if (reply.status != 200)
            ++failed;
          if (!reply.keep_alive)
            connection.reset();
        } catch (const std::exception&) {
          ++failed;
          connection.reset();
        }
      }
    });
  }
  for (auto& t : threads)
    t.join();
  return failed.load();
}

bool wait_for_posts(okr::test::FakeSlack& slack, std::size_t count, std::chrono::seconds limit) {
  const auto until = Clock::now() + limit;
  while (Clock::now() < until) {
    if (slack.calls_to("chat.postMessage").size() >= count)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// People who start a dialog together in the paced steps.
constexpr long kWave = 500;

// Time for serve to hand back what a burst freed (bot/app/freed_memory.hpp checks every 2 s).
void settle() {
  std::this_thread::sleep_for(std::chrono::seconds(5));
}

// By hand: OKR_FOOTPRINT_PROBE=<command> runs `<command> <pid>` at each measuring point (e.g. a
// script printing /proc/<pid>/smaps), to see where the memory is.
void look_inside(const okr::test::Process& coach, const std::string& point) {
  if (const char* probe = std::getenv("OKR_FOOTPRINT_PROBE")) {
    std::fprintf(stderr, "PROBE %s rss_kb=%ld\n", point.c_str(),
                 okr::bench::proc_status_kb(coach.pid(), "VmRSS"));
    std::system((std::string(probe) + " " + std::to_string(coach.pid())).c_str());
  }
}

void stop(okr::test::Process& coach) {
  coach.send_signal(SIGTERM);
  coach.wait_exit(std::chrono::seconds(60));
}

// Finished inbox history until the file is about `megabytes` large: what months of traffic
// leave behind (nothing prunes done entries yet).
void fill(const std::string& path, long megabytes) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  const long rows = megabytes * 1024 / 1;  // about 1 KB per row with its index entries
  db.exec("BEGIN");
  db.exec(
      "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " +
      std::to_string(rows) +
      ") INSERT INTO inbox (platform, workspace, event_key, conversation, payload, status, "
      "received_at, done_at) SELECT 'slack', 'THIST', 'EvHist' || x, 'DHIST' || (x % 5000), "
      "'{\"text\":\"' || printf('%.900c', 'x') || '\"}', 'done', 1700000000 + x, 1700000000 + x "
      "FROM n");
  db.exec("COMMIT");
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

int callgrind(long events, const std::string& out_file) {
  okr::test::FakeSlack slack;
  okr::test::TempDir dir;
  const auto port = okr::bench::free_port();
  auto options = okr::bench::coach_options(port, (dir / "cg.db").string(), kSecret,
                                           slack.token(), slack.api_url());
  // valgrind runs okr-coach in its own process: same pid, so callgrind_control reaches it.
  options.args.insert(options.args.begin(),
                      {"--tool=callgrind", "--instr-atstart=no",
                       "--callgrind-out-file=" + out_file, okr::bench::coach_binary()});
  okr::test::Process coach("/usr/bin/valgrind", options);
  if (okr::bench::wait_until_ready(port, Clock::now()).count() < 0) {
    std::fprintf(stderr, "okr-coach under callgrind did not start:\n%s\n", coach.err().c_str());
    return 1;
  }
  // Warm-up outside the measurement: first connections, caches, the people's rows.
  send_dms(port, 20, "help", "warm");
  wait_for_posts(slack, 20, std::chrono::seconds(120));
  const std::string pid = std::to_string(coach.pid());
  if (std::system(("callgrind_control -i on " + pid + " >/dev/null 2>&1").c_str()) != 0)
    return 1;
  const long failed = send_dms(port, events, "help", "measured");
  const bool all = wait_for_posts(slack, 20 + static_cast<std::size_t>(events),
                                  std::chrono::seconds(300));
  std::system(("callgrind_control -i off " + pid + " >/dev/null 2>&1").c_str());
  stop(coach);
  std::printf("CALLGRIND events=%ld failed=%ld replied=%s file=%s\n", events, failed,
              all ? "all" : "some", out_file.c_str());
  return failed == 0 && all ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: footprint <open dialogs n: measured at n, 2n, 4n> [big db MB] | <events> "
                 "callgrind <out>\n");
    return 2;
  }
  spdlog::set_level(spdlog::level::off);
  const long dialogs = std::atol(argv[1]);
  if (argc > 3 && std::string(argv[2]) == "callgrind")
    return callgrind(dialogs, argv[3]);
  const long big_mb = argc > 2 ? std::atol(argv[2]) : 1024;

  okr::test::FakeSlack slack;
  okr::test::TempDir dir;
  const std::string db = (dir / "footprint.db").string();
  long idle_kb = 0, dialogs_kb = 0, most_kb = 0, burst_kb = 0, peak_kb = 0, failed = 0;
  double ready_empty = 0;
  bool replied = true;
  {
    const auto port = okr::bench::free_port();
    const auto at = Clock::now();
    okr::test::Process coach(okr::bench::coach_binary(),
                             okr::bench::coach_options(port, db, kSecret, slack.token(),
                                                       slack.api_url()));
    ready_empty = okr::bench::wait_until_ready(port, at).count();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    idle_kb = okr::bench::proc_status_kb(coach.pid(), "VmRSS");
    // Each person starts a draft and leaves it open at its first question: n, then n more, then
    // 2n more, arriving in waves of kWave (each wave answered before the next), so what is
    // measured is the dialogs and not a queue of turns waiting for a worker.
    long open = 0;
    for (const long more : {dialogs, dialogs, 2 * dialogs}) {
      for (long sent = 0; sent < more; sent += kWave) {
        const long wave = std::min(kWave, more - sent);
        failed += send_dms(port, wave, "draft", "open", open + sent);
        replied = replied && wait_for_posts(slack, static_cast<std::size_t>(open + sent + wave),
                                            std::chrono::seconds(300));
      }
      open += more;
      settle();
      const long kb = okr::bench::proc_status_kb(coach.pid(), "VmRSS");
      if (open == dialogs)
        dialogs_kb = kb;
      most_kb = kb;
      look_inside(coach, "open=" + std::to_string(open));
    }
    // Then a burst: n more people at once, as fast as 4 connections go (Monday 09:00). Turns
    // queue faster than the workers finish them; what the process still holds once they are
    // answered is the burst's cost, not the dialogs'.
    failed += send_dms(port, dialogs, "draft", "burst", open);
    open += dialogs;
    replied = replied && wait_for_posts(slack, static_cast<std::size_t>(open),
                                        std::chrono::seconds(300));
    settle();
    burst_kb = okr::bench::proc_status_kb(coach.pid(), "VmRSS");
    look_inside(coach, "burst=" + std::to_string(dialogs));
    peak_kb = okr::bench::proc_status_kb(coach.pid(), "VmHWM");
    stop(coach);
  }
  fill(db, big_mb);
  const auto db_bytes = std::filesystem::file_size(db);
  double ready_big = 0;
  long big_kb = 0;
  {
    const auto port = okr::bench::free_port();
    const auto at = Clock::now();
    okr::test::Process coach(okr::bench::coach_binary(),
                             okr::bench::coach_options(port, db, kSecret, slack.token(),
                                                       slack.api_url()));
    ready_big = okr::bench::wait_until_ready(port, at).count();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    big_kb = okr::bench::proc_status_kb(coach.pid(), "VmRSS");
    stop(coach);
  }
  const auto bytes_per = [](long kb, long count) {
    return count > 0 ? static_cast<double>(kb) * 1024.0 / static_cast<double>(count) : 0.0;
  };
  // per_dialog_bytes: the marginal cost (slope from n to 4n open dialogs); per_dialog_avg_bytes:
  // (RSS with n - idle) / n, which also carries what fills once.
  std::printf(
      "FOOTPRINT ready_empty_ms=%.1f idle_rss_kb=%ld dialogs=%ld dialogs_failed=%ld "
      "dialogs_replied=%s rss_dialogs_kb=%ld per_dialog_bytes=%.0f per_dialog_avg_bytes=%.0f "
      "dialogs_most=%ld rss_dialogs_most_kb=%ld burst=%ld rss_after_burst_kb=%ld "
      "burst_kept_bytes=%.0f peak_rss_kb=%ld db_bytes=%ju ready_big_ms=%.1f big_idle_rss_kb=%ld\n",
      ready_empty, idle_kb, dialogs, failed, replied ? "all" : "some", dialogs_kb,
      bytes_per(most_kb - dialogs_kb, 3 * dialogs), bytes_per(dialogs_kb - idle_kb, dialogs),
      4 * dialogs, most_kb, dialogs, burst_kb, bytes_per(burst_kb - most_kb, dialogs), peak_kb,
      static_cast<std::uintmax_t>(db_bytes), ready_big, big_kb);
  return 0;
}
