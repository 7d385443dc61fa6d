#include "bot/teams/teams_route.hpp"

#include <utility>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "bot/http/request.hpp"
#include "bot/http/router.hpp"
#include "bot/teams/inbound_auth.hpp"

namespace okr::bot::teams {
namespace {

using nlohmann::json;

// The two body fields the token is checked against, read before the activity is trusted.
std::pair<std::string, std::string> service_url_and_channel(const std::string& body) {
  const json root = json::parse(body, nullptr, false);
  if (!root.is_object())
    return {};
  auto field = [&root](const char* key) {
    const auto it = root.find(key);
    return it != root.end() && it->is_string() ? it->get<std::string>() : std::string{};
  };
  return {field("serviceUrl"), field("channelId")};
}

http::HttpResponse empty_ok() {
  http::HttpResponse response;
  response.status = 200;
  return response;
}

}  // namespace

void add_teams_route(http::Router& router, InboundAuthenticator* authenticator,
                     AcceptActivity accept, TeamsRouteObserver observe) {
  auto note = [observe](const std::string& outcome) {
    if (observe)
      observe(outcome);
  };
  router.add(
      "POST", "/api/messages",
      [authenticator, accept = std::move(accept), note](const http::HttpRequest& request) {
        if (authenticator == nullptr) {
          note("not_configured");
          return http::json_error(503, "teams_not_configured",
                                  "Teams is not configured: set TEAMS_APP_ID and "
                                  "TEAMS_APP_PASSWORD.");
        }
        const auto [service_url, channel_id] = service_url_and_channel(request.body);
        const auto authorization = request.header("Authorization").value_or("");
        if (!authenticator->check(authorization, service_url, channel_id).ok()) {
          // The authenticator logged the reason; the token itself is never logged.
          spdlog::info("teams: /api/messages from {} refused (401)", request.remote_address);
          note("unauthorized");
          return http::json_error(401, "unauthorized", "The Bot Framework token was not accepted.");
        }
        TeamsActivity activity;
        try {
          activity = parse_activity(request.body);
        } catch (const ActivityError& error) {
          spdlog::info("teams: malformed activity: {}", error.what());
          note("malformed");
          return http::json_error(400, "malformed_activity", error.what());
        }
        if (activity.kind == TeamsActivity::Kind::ignored) {
          note("ignored");
          return empty_ok();
        }
        note(accept(activity) ? "accepted" : "duplicate");
        return empty_ok();
      },
      kTeamsBodyLimit);
}

}  // namespace okr::bot::teams
