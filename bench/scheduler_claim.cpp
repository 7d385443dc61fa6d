// The scheduler under a Monday-morning spike: N people (default 100,000) with weekly check-in
// nudges due in the same minute. Measures one scheduler pass — claim every due schedule, compose
// its nudge, queue it in the outbox and move the schedule to next week — and the process's peak
// memory (getrusage). Numbers go to bench/results.md.
//   scheduler_claim [PEOPLE] [BATCH]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <spdlog/spdlog.h>

#include "bot/pipeline/scheduler.hpp"
#include "storage/database.hpp"
#include "storage/outbox.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
#include "storage/turn_commit.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using Steady = std::chrono::steady_clock;

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

double seconds_since(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

okr::dialogs::TimePoint at(int y, unsigned m, unsigned d, int h) {
  using namespace std::chrono;
  return time_point_cast<seconds>(sys_days{year{y} / month{m} / day{d}} + hours{h});
}

}  // namespace

int main(int argc, char** argv) {
  using namespace okr;
  const int people = argc > 1 ? std::atoi(argv[1]) : 100'000;
  const std::size_t batch = argc > 2 ? static_cast<std::size_t>(std::atoi(argv[2])) : 500;
  spdlog::set_level(spdlog::level::warn);

  test::TempDir dir;
  auto db = storage::Database::open((dir / "bench.db").string());
  db.migrate();

  // Everyone nudged Mondays 09:00 UTC, created on the Wednesday before: all due 2026-11-30 09:00.
  const auto created = at(2026, 11, 25, 12);
  const auto setup_start = Steady::now();
  storage::commit_command(db, std::nullopt, created, [&] {
    storage::People people_repo(db);
    storage::Schedules schedules(db);
    for (int i = 0; i < people; ++i) {
      dialogs::Person p;
      p.platform = "slack";
      p.workspace = "T1";
      p.user_ref = "U" + std::to_string(100000 + i);
      dialogs::Schedule s;
      s.person_id = people_repo.find_or_create(p).id;
      s.recurrence = dialogs::Weekly{{1}, {9, 0}};
      schedules.add(s, created);
    }
    return std::vector<storage::OutboxItem>{};
  });
  const double setup_s = seconds_since(setup_start);
  const long rss_before = peak_rss_kib();

  bot::pipeline::SchedulerSettings settings;
  settings.batch = batch;
  const auto pass_start = Steady::now();
  const auto report = bot::pipeline::run_scheduler_pass(db, at(2026, 11, 30, 9) + std::chrono::seconds{30}, settings);
  const double pass_s = seconds_since(pass_start);
  const long rss_after = peak_rss_kib();

  const auto queued = storage::Outbox(db).depth();
  std::printf("people: %d, batch: %zu\n", people, batch);
  std::printf("setup (people + schedules, one transaction): %.2f s\n", setup_s);
  std::printf("claim + compose + queue: %.2f s (%zu fired, %zu queued, %.0f nudges/s)\n", pass_s,
              report.fired, queued, static_cast<double>(report.fired) / pass_s);
  std::printf("peak RSS: %.1f MiB before the pass, %.1f MiB after\n", rss_before / 1024.0,
              rss_after / 1024.0);
  return report.fired == static_cast<std::size_t>(people) && queued == report.fired ? 0 : 1;
}
