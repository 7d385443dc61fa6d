// `okr-coach tick [--now 2026-11-30T09:00:00Z] [--db PATH]`: one scheduler pass as if it were
// that instant — read the bound Slack channels' members when due, claim the due schedules,
// queue their messages, dispatch the outbox once with the configured platform senders — then
// exit. Running it twice for the same instant sends nothing twice (the claim moved the schedules
// on). How tests and cron deployments drive time.
#include <date/date.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <random>
#include <sstream>

#include "bot/app/commands.hpp"
#include "bot/app/platform_senders.hpp"
#include "bot/pipeline/outbox_dispatcher.hpp"
#include "bot/pipeline/scheduler.hpp"
#include "storage/database.hpp"
#include "storage/schedules.hpp"

namespace okr::bot::app {
namespace {

constexpr int kUsageError = 2;
constexpr int kFailure = 1;

struct TickOptions {
  std::string now;  // empty = the system clock
};

// "2026-11-30T09:00:00Z" (seconds optional); nullopt for anything else.
std::optional<dialogs::TimePoint> read_instant(const std::string& text) {
  for (const char* format : {"%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%MZ"}) {
    std::istringstream in(text);
    date::sys_seconds t;
    in >> date::parse(format, t);
    if (!in.fail() && in.peek() == std::char_traits<char>::eof())
      return t;
  }
  return std::nullopt;
}

int run_tick(const config::Config& config, const TickOptions& options) {
  dialogs::TimePoint now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  if (!options.now.empty()) {
    const auto parsed = read_instant(options.now);
    if (!parsed) {
      std::cerr << "--now: expected a UTC instant like 2026-11-30T09:00:00Z, got '" << options.now
                << "'\n";
      return kUsageError;
    }
    now = *parsed;
  }
  try {
    auto db = storage::Database::open(config.db_path);
    db.migrate();
    PlatformSenders senders(config);
    // As serve does before each pass: teams bound to Slack channels follow their membership
    // (before the defaults are synced, so a newcomer's nudges exist for this pass).
    senders.refresh_slack_team_channels(db, now);
    storage::sync_all_default_schedules(db, now);
    pipeline::SchedulerSettings settings;
    settings.max_catch_up = config.max_catch_up;
    settings.platforms = senders.platforms();
    const auto report = pipeline::run_scheduler_pass(db, now, settings);

    pipeline::OutboxDispatcher dispatcher(db, pipeline::dispatch_settings(config),
                                          static_cast<std::uint64_t>(std::random_device{}()));
    senders.add_to(dispatcher);
    const pipeline::Instant instant{
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch())};
    // No recover(): a running serve may be mid-send on rows marked `sending`; they are its own.
    // One conversation's rows are paced, so what waits (pacing, retries) goes out with the next
    // tick or the running service; distinct conversations go out batch after batch.
    pipeline::DispatchReport sent;
    for (;;) {
      const auto pass = dispatcher.run_once(instant);
      sent.sent += pass.sent;
      sent.retried += pass.retried;
      sent.dead += pass.dead;
      sent.held_back = pass.held_back;
      if (pass.sent + pass.dead == 0)
        break;
    }
    spdlog::info("tick at {}: {} occurrence(s) fired, {} message(s) queued, {} sent, {} waiting",
                 date::format("%FT%TZ", now), report.fired, report.messages, sent.sent,
                 sent.retried + sent.held_back);
    return 0;
  } catch (const std::exception& error) {
    spdlog::error("tick failed: {}", error.what());
    return kFailure;
  }
}

}  // namespace

void add_tick_command(CLI::App& app, CommandLine& line) {
  auto options = std::make_shared<TickOptions>();  // outlives parsing
  CLI::App& sub = *app.add_subcommand(
      "tick", "One scheduler pass: send what is due at --now (default: the clock), then exit");
  add_common_options(sub, line);
  sub.add_option("--now", options->now, "The instant to act as, in UTC: 2026-11-30T09:00:00Z")
      ->type_name("INSTANT");
  sub.callback([&line, options] {
    line.run = [options](const config::Config& config) { return run_tick(config, *options); };
  });
}

}  // namespace okr::bot::app
