#pragma once
// The web channel assembled: the page and its JSON API under /web/api/, the per-person turn
// sequencer, and the delivery of "web" outbox rows (replies and scheduler nudges) into the
// conversation log the page polls. Built by serve(); owns its threads and its own database connections (SQLite
// handles are never shared between threads).
//
// Endpoints (errors are {"error","message"} as everywhere in the service):
//   GET  /                      the page;  GET /assets/{name}  its files
//   GET  /web/login?code=...    one-time login link (only when a token is required)
//   POST /web/api/messages      {"text"} or {"action"}: 202, the turn runs in the background
//   GET  /web/api/messages?after=ID[&wait=S]   the conversation after ID; with wait (at most
//                               30 s) a long poll answered as soon as there is something
//   GET  /web/api/okrs          my OKRs and my team's with progress, confidence, risk
//   GET  /web/api/history?key_result=ID   weekly progress and confidence of one key result
//   GET  /web/api/export        my own data as a JSON download (the typed `export`'s document)
#include <functional>
#include <memory>
#include <string>

#include "bot/http/router.hpp"

namespace okr::config {
struct Config;
}
namespace okr::dialogs {
struct DialogCatalog;
}
namespace okr::storage {
struct OpenOptions;
}
namespace okr::bot::metrics {
class Registry;
}

namespace okr::bot::web {

inline constexpr const char* kPlatform = "web";
inline constexpr const char* kWorkspace = "local";

class WebChannel {
 public:
  // `config`, `catalog` and `metrics` must outlive the channel. Throws std::invalid_argument
  // when the configuration needs a token and has none (see web_start_problem). Its
  // connections are opened with `connections` (serve's leave WAL checkpoints to its
  // checkpointer, which then must outlive the channel).
  WebChannel(const config::Config& config, const dialogs::DialogCatalog& catalog,
             metrics::Registry& metrics, const storage::OpenOptions& connections);
  ~WebChannel();  // stop()
  WebChannel(const WebChannel&) = delete;
  WebChannel& operator=(const WebChannel&) = delete;

  // Opens its connections, starts the dispatcher and the turn worker, and queues again the
  // web messages a previous run accepted but did not answer. Throws StorageError when the
  // database cannot be opened.
  void start();
  // Before start(): called when an office command committed (a schedule may have changed).
  void on_schedules_changed(std::function<void()> hook);
  void add_routes(http::Router& router);
  // Once the server listens: logs the page's address and, when a token is required, a one-time
  // login link (never the token).
  void announce(const std::string& base_url);
  // `handler` behind the same access check as the web API, for endpoints other parts add under
  // /web/api/ (the digest, the schedules).
  http::Handler guarded(http::Handler handler) const;
  // Answers every waiting long poll now (with what is there), and any later one at once: call
  // before stopping the HTTP server so open polls do not hold up its shutdown. Idempotent.
  void end_waits();
  // Answers waiting long polls, finishes queued turns, stops the dispatcher. Idempotent.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace okr::bot::web
