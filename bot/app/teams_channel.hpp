#pragma once
// The Teams channel assembled: POST /api/messages, conversation references, and the shared
// channel runtime (durable inbox → ack → per-conversation ordered turns with retries → outbox →
// dispatcher) with the Teams sender. Built by serve(); owns its threads and connections.
#include <functional>
#include <memory>

namespace okr::config {
struct Config;
}
namespace okr::dialogs {
struct DialogCatalog;
}
namespace okr::storage {
struct OpenOptions;
}
namespace okr::bot::http {
class Router;
}
namespace okr::bot::metrics {
class Registry;
}
namespace okr::bot::teams {
class InboundAuthenticator;
class TokenSource;
}  // namespace okr::bot::teams

namespace okr::bot::app {

class TeamsChannel {
 public:
  // `config`, `catalog` and `metrics` must outlive the channel; its connections are opened with
  // `connections` (see ChannelRuntime).
  TeamsChannel(const config::Config& config, const dialogs::DialogCatalog& catalog,
               metrics::Registry& metrics, const storage::OpenOptions& connections);
  ~TeamsChannel();  // stop()
  TeamsChannel(const TeamsChannel&) = delete;
  TeamsChannel& operator=(const TeamsChannel&) = delete;

  // TEAMS_APP_ID and TEAMS_APP_PASSWORD both set.
  bool configured() const;
  // Before start(): who checks inbound tokens and who hands out outbound ones, for tests.
  // Without this, start() builds the Bot Framework ones from the TEAMS_* settings.
  void use(std::unique_ptr<teams::InboundAuthenticator> authenticator,
           std::unique_ptr<teams::TokenSource> tokens);
  // When configured: opens its connections, starts the dispatcher and workers, and re-queues
  // unfinished inbox entries. Throws on a database that cannot be opened.
  void start();
  // Before start(): called when an office command committed (a schedule may have changed).
  void on_schedules_changed(std::function<void()> hook);
  // POST /api/messages (503 teams_not_configured when not configured or not started).
  void add_routes(http::Router& router);
  // Finishes queued turns, stops the dispatcher. Idempotent.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace okr::bot::app
