#include "bot/app/serve.hpp"

#include <csignal>
#include <exception>
#include <mutex>
#include <optional>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "bot/app/core_routes.hpp"
#include "bot/app/freed_memory.hpp"
#include "bot/app/slack_channel.hpp"
#include "bot/app/teams_channel.hpp"
#include "bot/http/router.hpp"
#include "bot/http/server.hpp"
#include "bot/metrics/http_metrics.hpp"
#include "bot/metrics/registry.hpp"
#include "bot/pipeline/clock.hpp"
#include "bot/pipeline/dialog_catalog.hpp"
#include "bot/pipeline/scheduler_loop.hpp"
#include "bot/web/web_channel.hpp"
#include "bot/web/web_gate.hpp"
#include "dialogs/time_zones.hpp"
#include "storage/database.hpp"
#include "storage/wal_checkpointer.hpp"

namespace okr::bot::app {
namespace {

constexpr int kStartupFailure = 2;

// The URL form of host:port; IPv6 literals need brackets there.
std::string url_of(const std::string& host, std::uint16_t port, bool https) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (https ? "https://" : "http://") + (ipv6 ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

}  // namespace

int serve(const okr::config::Config& config) {
  // Signals are caught from the very start, so a SIGTERM during start-up is a clean stop too.
  boost::asio::io_context signals_io;
  boost::asio::signal_set signals(signals_io, SIGINT, SIGTERM);

  // An open web page on a reachable address would let anyone speak as the local person.
  if (const auto problem = web::web_start_problem(config)) {
    spdlog::error("cannot start: {}", *problem);
    return kStartupFailure;
  }

  // Before any thread exists (dialogs/time_zones.hpp says why).
  dialogs::load_time_zone_list();

  // A broken dialog file stops the service before it takes traffic, not mid-conversation.
  const auto dialogs = pipeline::load_dialog_catalog_or_log(config);
  if (!dialogs) {
    spdlog::error("cannot start: the dialog definitions have errors (listed above)");
    return kStartupFailure;
  }

  std::optional<storage::Database> database;
  try {
    database.emplace(storage::Database::open(config.db_path));
    const int applied = database->migrate();
    spdlog::info("database {} at schema version {} ({} migration(s) applied)", config.db_path,
                 database->schema_version(), applied);
  } catch (const std::exception& error) {
    spdlog::error("cannot start: {}", error.what());
    return kStartupFailure;
  }

  // Every connection that commits for a request, a turn or the scheduler is opened with
  // `hot`, so it leaves WAL checkpoints (and their fsyncs) to this thread instead of stalling
  // on one. Declared before everything that opens such a connection, so it is destroyed only
  // after all of them are gone (their commit hooks report to it; each also co-owns what its
  // hook points at, so no order could leave a hook dangling). The migration connection above
  // keeps SQLite's own checkpoints.
  std::optional<storage::WalCheckpointer> checkpointer;
  try {
    checkpointer.emplace(config.db_path);
    checkpointer->start();
  } catch (const std::exception& error) {
    spdlog::error("cannot start: {}", error.what());
    return kStartupFailure;
  }
  const storage::OpenOptions hot{.checkpoints = &*checkpointer};

  // The connection is shared by the network threads; SQLite handles are not ours to use
  // concurrently, so readiness checks take turns.
  std::mutex database_mutex;
  auto ready = [&database, &database_mutex] {
    std::lock_guard lock(database_mutex);
    return database.has_value() && database->ready();
  };

  metrics::Registry registry;
  metrics::define_http_metrics(registry, OKR_VERSION);
  http::Router router;
  add_core_routes(router, ready, registry);
  // Declared before the channels so it outlives them, even on an early return: a finishing
  // turn may still notify() it.
  std::optional<storage::Database> scheduler_db;
  std::optional<pipeline::SchedulerLoop> scheduler;
  SlackChannel slack(config, *dialogs, registry, hot);
  TeamsChannel teams_channel(config, *dialogs, registry, hot);
  web::WebChannel web_channel(config, *dialogs, registry, hot);

  // The scheduler: its own connection and thread; what it queues the channels' dispatchers
  // send. Built before the channels start so their office commands (a new schedule, a changed
  // one) can wake it; started after them.
  try {
    scheduler_db.emplace(storage::Database::open(config.db_path, hot));
    pipeline::SchedulerSettings settings;
    settings.max_catch_up = config.max_catch_up;
    settings.platforms = {"web"};  // the web channel runs in every serve
    if (slack.configured()) {
      settings.platforms.insert("slack");
      // Teams bound to Slack channels follow the channels' membership, read once a day.
      settings.before_pass = [&slack](storage::Database& db, dialogs::TimePoint now) {
        slack.refresh_team_channels(db, now);
      };
    }
    if (teams_channel.configured())
      settings.platforms.insert("teams");
    // The channels notify() on their own changes; the re-check only catches other processes.
    scheduler.emplace(*scheduler_db, settings, pipeline::system_now, std::function<void()>{},
                      std::chrono::minutes{5});
  } catch (const std::exception& error) {
    spdlog::error("cannot start: {}", error.what());
    return kStartupFailure;
  }
  auto wake_scheduler = [&scheduler] {
    if (scheduler)
      scheduler->notify();
  };
  slack.on_schedules_changed(wake_scheduler);
  teams_channel.on_schedules_changed(wake_scheduler);
  web_channel.on_schedules_changed(wake_scheduler);

  try {
    slack.start();
  } catch (const std::exception& error) {
    spdlog::error("cannot start: {}", error.what());
    return kStartupFailure;
  }
  slack.add_routes(router);
  try {
    teams_channel.start();
  } catch (const std::exception& error) {
    spdlog::error("cannot start: {}", error.what());
    return kStartupFailure;
  }
  teams_channel.add_routes(router);
  try {
    web_channel.start();
  } catch (const std::exception& error) {
    spdlog::error("cannot start: {}", error.what());
    return kStartupFailure;
  }
  web_channel.add_routes(router);

  try {
    scheduler->start();
  } catch (const std::exception& error) {
    spdlog::error("cannot start: {}", error.what());
    return kStartupFailure;
  }

  const unsigned threads = config.threads < 1 ? 1 : config.threads;
  std::optional<http::HttpServer> server;
  try {
    server.emplace(config.http, router, registry, threads);
    // config::load guarantees both files or neither.
    const bool https = !config.tls_cert_file.empty();
    if (https) {
      server->serve_https(config.tls_cert_file, config.tls_key_file);
    }
    const auto port = server->start(config.listen_host, config.listen_port);
    spdlog::info("listening on {} ({} thread(s))", url_of(config.listen_host, port, https),
                 threads);
    web_channel.announce(url_of(config.listen_host, port, https));
  } catch (const std::exception& error) {
    spdlog::error("cannot start: {}", error.what());
    return kStartupFailure;
  }

  // After a burst the allocator would keep the drained backlog's pages resident for good.
  FreedMemory freed_memory;
  freed_memory.start();

  int caught = 0;
  signals.async_wait([&caught](const boost::system::error_code& error, int signal_number) {
    if (!error) {
      caught = signal_number;
    }
  });
  signals_io.run();
  spdlog::info("received signal {}; finishing in-flight requests (at most {} ms)", caught,
               config.http.shutdown_grace.count());
  web_channel.end_waits();  // open long polls answer now instead of holding the grace period
  server->request_stop();
  server->wait();
  server.reset();
  scheduler->stop();  // a pass in flight finishes; its transaction is whole or not at all
  slack.stop();  // queued turns finish and the outbox is left for the next start
  teams_channel.stop();
  web_channel.stop();
  scheduler.reset();  // only now: a finishing turn may still notify() it
  scheduler_db.reset();
  {
    std::lock_guard lock(database_mutex);
    database.reset();
  }
  // The last checkpoint; the object itself goes after the channels' connections, at return.
  checkpointer->stop();
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace okr::bot::app
