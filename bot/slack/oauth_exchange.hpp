#pragma once
// oauth.v2.access, both ways Slack offers it: a `code` from the install redirect becomes an
// installation (team, bot user, bot token, scopes, installer), and with token rotation turned on
// a refresh token becomes a fresh bot token (grant_type=refresh_token). The client id and secret
// travel in the form body; no bearer token is sent. Blocking, like WebApi.
#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace okr::bot::slack {

class WebApi;

struct OAuthClient {
  std::string client_id;
  std::string client_secret;
  std::string redirect_url;  // must equal the one the authorize URL carried
};

// What Slack granted. Tokens are plain here: seal them before they are stored.
struct GrantedInstallation {
  std::string team_id;
  std::string team_name;
  std::string enterprise_id;  // empty outside Enterprise Grid
  std::string bot_user_id;
  std::string bot_token;      // xoxb-… (xoxe.xoxb-… with rotation)
  std::string refresh_token;  // empty without rotation
  std::optional<std::chrono::seconds> expires_in;  // with rotation
  std::string scopes;
  std::string installer_user_id;
};

// Reads an ok:true oauth.v2.access answer; throws SlackApiError("invalid_response") when it
// lacks the team id, the bot token or (for a bot install) the token type "bot".
GrantedInstallation granted_installation(const nlohmann::json& payload);

// `api` is any WebApi of the right base URL; it is used without a token.
GrantedInstallation exchange_code(const WebApi& api, const OAuthClient& client,
                                  const std::string& code);
GrantedInstallation refresh_bot_token(const WebApi& api, const OAuthClient& client,
                                      const std::string& refresh_token);

}  // namespace okr::bot::slack
