#pragma once
// The Slack channel assembled: the /slack routes, the Web API client, the Home tab, the edit
// modal and the users.info profile refresh, on top of the shared channel runtime (durable inbox
// → ack → per-conversation ordered turns with retries → outbox → dispatcher with the Slack
// sender → restart resume). Built by serve(); owns its threads and connections.
#include <functional>
#include <memory>

#include "dialogs/domain.hpp"

namespace okr::config {
struct Config;
}
namespace okr::dialogs {
struct DialogCatalog;
}
namespace okr::storage {
class Database;
struct OpenOptions;
}
namespace okr::bot::http {
class Router;
}
namespace okr::bot::metrics {
class Registry;
}

namespace okr::bot::app {

class SlackChannel {
 public:
  // `config`, `catalog` and `metrics` must outlive the channel; its connections are opened with
  // `connections` (see ChannelRuntime).
  SlackChannel(const config::Config& config, const dialogs::DialogCatalog& catalog,
               metrics::Registry& metrics, const storage::OpenOptions& connections);
  ~SlackChannel();  // stop()
  SlackChannel(const SlackChannel&) = delete;
  SlackChannel& operator=(const SlackChannel&) = delete;

  // SLACK_BOT_TOKEN set, with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode).
  bool configured() const;
  // When configured: opens its connections, learns the bot's identity (auth.test; a failure is
  // logged and only the bot_id filter remains), starts the dispatcher and the turn worker, and
  // re-queues inbox entries a previous run acknowledged but did not finish. Throws on a
  // database that cannot be opened.
  void start();
  // Before start(): called when an office command committed (a schedule may have changed).
  void on_schedules_changed(std::function<void()> hook);
  // The three /slack routes (503 slack_not_configured when not configured) and the OAuth
  // install routes (/slack/install, /slack/oauth/callback).
  void add_routes(http::Router& router);
  // For the scheduler's pass (its thread, its connection): reads the members of the channels
  // bound to teams whose daily read is due. Does nothing before start().
  void refresh_team_channels(storage::Database& db, dialogs::TimePoint now);
  // Finishes queued turns, stops the dispatcher. Idempotent.
  void stop();

 private:
  // GET /slack/install and /slack/oauth/callback (pages saying what is missing when OAuth or
  // OKR_COACH_SECRET_KEY is not set up).
  void add_install_routes(http::Router& router);

  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace okr::bot::app
