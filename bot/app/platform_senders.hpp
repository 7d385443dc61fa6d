#pragma once
// The outbox senders of every platform the configuration enables, with the clients they need:
// what `tick` dispatches with (and any other one-shot dispatcher). Slack (a bot token set), Teams (app id and password set);
// each channel adds its own here.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "bot/pipeline/message_sender.hpp"
#include "dialogs/domain.hpp"

namespace okr::config {
struct Config;
}
namespace okr::bot::http {
class HttpClient;
}
namespace okr::bot::slack {
class WebApi;
class WorkspaceTokens;
}
namespace okr::bot::teams {
class Connector;
class TokenSource;
}  // namespace okr::bot::teams
namespace okr::storage {
class Database;
}
namespace okr::bot::pipeline {
class OutboxDispatcher;
}

namespace okr::bot::app {

class PlatformSenders {
 public:
  // `config` must outlive this object.
  explicit PlatformSenders(const config::Config& config);
  ~PlatformSenders();
  PlatformSenders(const PlatformSenders&) = delete;
  PlatformSenders& operator=(const PlatformSenders&) = delete;

  // The platforms that have a sender ("slack", …).
  std::set<std::string> platforms() const;
  void add_to(pipeline::OutboxDispatcher& dispatcher) const;

  // The daily read of the Slack channels teams are bound to (joiners in, leavers out), with
  // the same clients and workspace tokens; nothing without Slack. What serve's scheduler does
  // before each pass, for `tick`.
  void refresh_slack_team_channels(storage::Database& db, dialogs::TimePoint now) const;

 private:
  std::unique_ptr<http::HttpClient> client_;
  std::unique_ptr<slack::WebApi> slack_api_;
  std::unique_ptr<slack::WorkspaceTokens> slack_tokens_;  // each workspace's own token
  // Teams: the sender reads conversation references through a connection of its own.
  std::unique_ptr<teams::TokenSource> teams_tokens_;
  std::unique_ptr<teams::Connector> teams_connector_;
  std::unique_ptr<storage::Database> teams_db_;
  std::map<std::string, std::shared_ptr<pipeline::MessageSender>> senders_;
};

}  // namespace okr::bot::app
