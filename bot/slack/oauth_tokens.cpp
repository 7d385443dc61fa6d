#include "bot/slack/oauth_tokens.hpp"

#include <spdlog/spdlog.h>

#include "bot/secrets/sealed_value.hpp"
#include "bot/slack/web_api.hpp"
#include "config/config.hpp"
#include "storage/database.hpp"
#include "storage/installations.hpp"

namespace okr::bot::slack {
namespace {

std::optional<dialogs::TimePoint> expiry_of(const GrantedInstallation& granted,
                                            dialogs::TimePoint now) {
  if (!granted.expires_in)
    return std::nullopt;
  return now + *granted.expires_in;
}

}  // namespace

MissingSecretKey::MissingSecretKey()
    : std::runtime_error(std::string("a Slack token cannot be stored without OKR_COACH_SECRET_KEY: ") +
                         std::string(secrets::kHowToMakeAKey)) {}

std::string token_context(const std::string& team_id, const std::string& column) {
  return "slack " + column + " " + team_id;
}

WorkspaceTokens::WorkspaceTokens(const config::Config& config, const WebApi& api,
                                 pipeline::Clock clock, const storage::OpenOptions& connections)
    : config_(config),
      api_(api),
      clock_(std::move(clock)),
      key_(config.secret_key.empty() ? std::nullopt
                                     : secrets::parse_secret_key(config.secret_key)),
      db_(std::make_unique<storage::Database>(storage::Database::open(config.db_path, connections))) {
  if (!config.slack_client_id.empty() && !key_)
    spdlog::warn("slack: OAuth installs are switched on but will be refused until "
                 "OKR_COACH_SECRET_KEY is set: {}",
                 secrets::kHowToMakeAKey);
}

WorkspaceTokens::WorkspaceTokens(const config::Config& config, const WebApi& api,
                                 pipeline::Clock clock)
    : WorkspaceTokens(config, api, std::move(clock), storage::OpenOptions{}) {}

WorkspaceTokens::~WorkspaceTokens() = default;

void WorkspaceTokens::install(const GrantedInstallation& granted) {
  if (!key_)
    throw MissingSecretKey();
  const auto now = clock_();
  storage::SlackInstallation row;
  row.team_id = granted.team_id;
  row.enterprise_id = granted.enterprise_id;
  row.team_name = granted.team_name;
  row.bot_user_id = granted.bot_user_id;
  row.bot_token_sealed =
      secrets::seal(*key_, token_context(granted.team_id, "bot_token"), granted.bot_token);
  if (!granted.refresh_token.empty())
    row.refresh_token_sealed = secrets::seal(
        *key_, token_context(granted.team_id, "refresh_token"), granted.refresh_token);
  row.token_expires_at = expiry_of(granted, now);
  row.scopes = granted.scopes;
  row.installer_user_id = granted.installer_user_id;
  row.installed_at = now;
  row.updated_at = now;
  std::lock_guard lock(mutex_);
  storage::SlackInstallations(*db_).save(row);
}

std::optional<std::string> WorkspaceTokens::token_for(const std::string& team_id) {
  std::lock_guard lock(mutex_);
  const auto row = storage::SlackInstallations(*db_).find(team_id);
  if (!row) {
    if (config_.slack_bot_token.empty())
      return std::nullopt;
    return config_.slack_bot_token;
  }
  if (!key_)
    throw std::runtime_error("workspace " + team_id +
                             " has a stored token but OKR_COACH_SECRET_KEY is not set: " +
                             std::string(secrets::kHowToMakeAKey));
  auto open = [&](const std::string& column, const std::string& sealed) {
    auto plain = secrets::unseal(*key_, token_context(team_id, column), sealed);
    if (!plain)
      throw std::runtime_error("the stored " + column + " of workspace " + team_id +
                               " does not open with " + key_->describe() + " (it names key " +
                               secrets::sealed_key_id(sealed).value_or("?") +
                               "); run `okr-coach rotate-key` if the key was changed");
    return *plain;
  };
  std::string token = open("bot_token", row->bot_token_sealed);
  const bool rotating = row->token_expires_at && !row->refresh_token_sealed.empty();
  if (!rotating || clock_() < *row->token_expires_at - kRefreshAhead)
    return token;
  try {
    return refreshed(team_id, open("refresh_token", row->refresh_token_sealed));
  } catch (const SlackApiError& error) {
    if (clock_() < *row->token_expires_at) {
      // Still valid for a few minutes: use it and refresh on a later call.
      spdlog::warn("slack: refreshing the token of workspace {} failed, using it until it "
                   "expires: {}",
                   team_id, error.what());
      return token;
    }
    throw;
  }
}

std::string WorkspaceTokens::refreshed(const std::string& team_id,
                                       const std::string& refresh_token) {
  const OAuthClient client{config_.slack_client_id, config_.slack_client_secret,
                           config_.slack_redirect_url};
  const auto granted = refresh_bot_token(api_, client, refresh_token);
  const auto now = clock_();
  // Slack may hand out a new refresh token with the new bot token; keep the old one otherwise.
  const std::string next_refresh =
      granted.refresh_token.empty() ? refresh_token : granted.refresh_token;
  storage::SlackInstallations(*db_).update_tokens(
      team_id, secrets::seal(*key_, token_context(team_id, "bot_token"), granted.bot_token),
      secrets::seal(*key_, token_context(team_id, "refresh_token"), next_refresh),
      expiry_of(granted, now), now);
  spdlog::info("slack: refreshed the bot token of workspace {}", team_id);
  return granted.bot_token;
}

bool WorkspaceTokens::remove(const std::string& team_id) {
  std::lock_guard lock(mutex_);
  return storage::SlackInstallations(*db_).remove(team_id);
}

}  // namespace okr::bot::slack
