#include "bot/app/platform_senders.hpp"

#include "bot/http/client.hpp"
#include "bot/pipeline/clock.hpp"
#include "bot/pipeline/outbox_dispatcher.hpp"
#include "bot/slack/oauth_tokens.hpp"
#include "bot/slack/slack_sender.hpp"
#include "bot/slack/web_api.hpp"
#include "bot/teams/client_credentials.hpp"
#include "bot/teams/connector.hpp"
#include "bot/teams/teams_sender.hpp"
#include "storage/database.hpp"
#include "config/config.hpp"
#include "bot/app/channel_runtime.hpp"
#include "bot/app/slack_team_setup.hpp"
#include "bot/slack/own_identity.hpp"

namespace okr::bot::app {

PlatformSenders::PlatformSenders(const config::Config& config) {
  http::ClientOptions options;
  options.ca_file = config.ca_file;
  options.max_idle_per_host = idle_connections_per_host(config);
  // Sending needs only a bot token (the signing secret is for requests Slack sends us): the
  // one of SLACK_BOT_TOKEN, or with OAuth each installed workspace's own.
  if (!config.slack_bot_token.empty() || !config.slack_client_id.empty()) {
    client_ = std::make_unique<http::HttpClient>(options);
    slack_api_ = std::make_unique<slack::WebApi>(*client_, config);
    slack_tokens_ =
        std::make_unique<slack::WorkspaceTokens>(config, *slack_api_, pipeline::system_now);
    auto* tokens = slack_tokens_.get();
    senders_.emplace("slack", std::make_shared<slack::SlackSender>(
                                  *slack_api_, [tokens](const std::string& workspace) {
                                    return tokens->token_for(workspace);
                                  }));
  }
  if (!config.teams_app_id.empty() && !config.teams_app_password.empty()) {
    if (!client_)
      client_ = std::make_unique<http::HttpClient>(options);
    teams_tokens_ = std::make_unique<teams::ClientCredentialsTokenSource>(
        *client_, teams::ClientCredentialsSettings::from(config), pipeline::system_now);
    teams_connector_ = std::make_unique<teams::Connector>(*client_, *teams_tokens_);
    teams_db_ = std::make_unique<storage::Database>(storage::Database::open(config.db_path));
    senders_.emplace("teams", std::make_shared<teams::TeamsSender>(*teams_connector_, *teams_db_,
                                                                   config.teams_app_id));
  }
}

PlatformSenders::~PlatformSenders() = default;

std::set<std::string> PlatformSenders::platforms() const {
  std::set<std::string> out;
  for (const auto& [platform, sender] : senders_)
    out.insert(platform);
  return out;
}

void PlatformSenders::add_to(pipeline::OutboxDispatcher& dispatcher) const {
  for (const auto& [platform, sender] : senders_)
    dispatcher.add_sender(platform, sender);
}

void PlatformSenders::refresh_slack_team_channels(storage::Database& db,
                                                  dialogs::TimePoint now) const {
  if (!slack_api_ || !slack_tokens_)
    return;
  auto* api = slack_api_.get();
  auto* tokens = slack_tokens_.get();
  const WorkspaceApi api_for = [api, tokens](const std::string& workspace) {
    const auto token = tokens->token_for(workspace);
    return token ? std::optional(api->with_token(*token)) : std::nullopt;
  };
  // No auth.test: the coach's own user is left out as a bot by users.info, one call more per
  // channel and day, instead of a call on every tick.
  app::refresh_slack_team_channels(db, api_for, slack::OwnIdentity{}, now);
}

}  // namespace okr::bot::app
