#include "bot/slack/oauth_exchange.hpp"

#include "bot/slack/web_api.hpp"

namespace okr::bot::slack {
namespace {

using nlohmann::json;

constexpr std::string_view kMethod = "oauth.v2.access";

std::string text_at(const json& payload, const char* key) {
  const auto it = payload.find(key);
  return it != payload.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// `team` and `enterprise` are objects ({"id","name"}) or null.
std::string id_of(const json& payload, const char* key, const char* field = "id") {
  const auto it = payload.find(key);
  return it != payload.end() && it->is_object() ? text_at(*it, field) : std::string();
}

[[noreturn]] void incomplete(const std::string& what) {
  throw SlackApiError(std::string(kMethod), "invalid_response", Retry::never, 200, std::nullopt,
                      "the answer lacks " + what);
}

}  // namespace

GrantedInstallation granted_installation(const json& payload) {
  GrantedInstallation out;
  out.team_id = id_of(payload, "team");
  out.team_name = id_of(payload, "team", "name");
  out.enterprise_id = id_of(payload, "enterprise");
  out.bot_user_id = text_at(payload, "bot_user_id");
  out.bot_token = text_at(payload, "access_token");
  out.refresh_token = text_at(payload, "refresh_token");
  out.scopes = text_at(payload, "scope");
  out.installer_user_id = id_of(payload, "authed_user");
  if (const auto it = payload.find("expires_in"); it != payload.end() && it->is_number_integer())
    out.expires_in = std::chrono::seconds(it->get<long long>());
  // An org-wide install has no team; the enterprise then stands for the workspace.
  if (out.team_id.empty())
    out.team_id = out.enterprise_id;
  if (out.team_id.empty())
    incomplete("the team id");
  if (out.bot_token.empty())
    incomplete("access_token");
  if (const auto type = text_at(payload, "token_type"); !type.empty() && type != "bot")
    incomplete("a bot token (token_type is " + type + ")");
  return out;
}

GrantedInstallation exchange_code(const WebApi& api, const OAuthClient& client,
                                  const std::string& code) {
  auto anonymous = api.with_token("");
  return granted_installation(anonymous.call_form(kMethod, {{"client_id", client.client_id},
                                                            {"client_secret", client.client_secret},
                                                            {"code", code},
                                                            {"redirect_uri", client.redirect_url}}));
}

GrantedInstallation refresh_bot_token(const WebApi& api, const OAuthClient& client,
                                      const std::string& refresh_token) {
  auto anonymous = api.with_token("");
  return granted_installation(anonymous.call_form(kMethod, {{"client_id", client.client_id},
                                                            {"client_secret", client.client_secret},
                                                            {"grant_type", "refresh_token"},
                                                            {"refresh_token", refresh_token}}));
}

}  // namespace okr::bot::slack
