#pragma once
// Which bot token speaks for a workspace. A workspace installed through OAuth has its own row
// (storage/installations, tokens sealed by bot/secrets); any other workspace uses
// SLACK_BOT_TOKEN, so a one-workspace install needs no row and no key. With token rotation the
// bot token is refreshed (grant_type=refresh_token) shortly before it expires, on the caller's
// thread, and stored sealed again.
//
// Thread-safe: one mutex around its own database connection (never shared with other threads).
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "bot/pipeline/clock.hpp"
#include "bot/secrets/secret_key.hpp"
#include "bot/slack/oauth_exchange.hpp"

namespace okr::config {
struct Config;
}
namespace okr::storage {
class Database;
struct OpenOptions;
}

namespace okr::bot::slack {

class WebApi;

// Why a token could not be stored: the operator must act (no key), not Slack.
class MissingSecretKey : public std::runtime_error {
 public:
  MissingSecretKey();
};

class WorkspaceTokens {
 public:
  // `api` (any token; only its client and URL are used, for refreshes) must outlive this. Opens
  // its own connection to config.db_path with `connections` (serve's leave WAL checkpoints to
  // its checkpointer, so a refresh never runs one inside its commit).
  WorkspaceTokens(const config::Config& config, const WebApi& api, pipeline::Clock clock,
                  const storage::OpenOptions& connections);
  // The same with SQLite's own checkpoints (a command outside serve).
  WorkspaceTokens(const config::Config& config, const WebApi& api, pipeline::Clock clock);
  ~WorkspaceTokens();

  // How long before its expiry a rotating token is refreshed.
  static constexpr std::chrono::minutes kRefreshAhead{10};

  // True when OKR_COACH_SECRET_KEY holds a usable key (installs are possible).
  bool can_store() const { return key_.has_value(); }

  // Seals and stores what oauth.v2.access granted. Throws MissingSecretKey without a key.
  void install(const GrantedInstallation& granted);

  // The token for `team_id`, refreshed first when it is about to expire; nullopt when the
  // workspace is not installed and no SLACK_BOT_TOKEN is configured. Throws SlackApiError
  // (retry later) when an expired token could not be refreshed for a transient reason, and
  // std::runtime_error when the stored token cannot be unsealed (wrong key: the message says
  // which key id it needs, never a token).
  std::optional<std::string> token_for(const std::string& team_id);

  // app_uninstalled / tokens_revoked: forget the workspace. Returns false when it had no row.
  bool remove(const std::string& team_id);

 private:
  std::string refreshed(const std::string& team_id, const std::string& refresh_token);

  const config::Config& config_;
  const WebApi& api_;
  pipeline::Clock clock_;
  std::optional<secrets::SecretKey> key_;
  std::mutex mutex_;
  std::unique_ptr<storage::Database> db_;
};

// The `context` a sealed value of `column` ("bot_token", "refresh_token") of a workspace is
// bound to; rotate-key re-seals with the same.
std::string token_context(const std::string& team_id, const std::string& column);

}  // namespace okr::bot::slack
