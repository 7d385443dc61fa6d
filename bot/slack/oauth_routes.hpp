#pragma once
// GET /slack/install and GET /slack/oauth/callback: installing the coach into a workspace with
// Slack's OAuth v2 flow.
//   install  → 302 to Slack's authorize page (client id, bot scopes, state, redirect_uri) and a
//              cookie binding the state to this browser.
//   callback → state and cookie checked (single use, 10 minutes) → the code exchanged with
//              oauth.v2.access → the installation stored (tokens sealed) → a thank-you page.
// Every failure is a page saying what happened and what to do: denied (403), bad or expired
// state (400), Slack refusing the exchange (502), no OKR_COACH_SECRET_KEY or OAuth not set up
// (503). The callback waits for Slack on the request's thread; installs are rare.
#include <functional>
#include <string>

#include "bot/pipeline/clock.hpp"
#include "bot/slack/oauth_exchange.hpp"

namespace okr::bot::http {
class Router;
}

namespace okr::bot::slack {

struct OAuthRouteSettings {
  OAuthClient client;         // all three set, or the routes answer 503
  std::string authorize_url;  // e.g. https://slack.com/oauth/v2/authorize
  bool can_store = false;     // OKR_COACH_SECRET_KEY is usable
};

struct OAuthHandlers {
  std::function<GrantedInstallation(const std::string& code)> exchange;  // oauth.v2.access
  std::function<void(const GrantedInstallation&)> store;                 // seal and save
  // Outcomes for metrics: "redirected", "installed", "denied", "bad_state", "exchange_failed",
  // "not_configured", "no_key", "store_failed". May be empty.
  std::function<void(const std::string& outcome)> observe;
};

// Slack's authorize page next to its Web API: ".../api/" → ".../oauth/v2/authorize", so a test's
// SLACK_API_URL points the browser at the fake as well.
std::string authorize_url_for(const std::string& api_url);

void add_oauth_routes(http::Router& router, OAuthRouteSettings settings, OAuthHandlers handlers,
                      pipeline::Clock clock);

inline constexpr const char* kInstallCookie = "okr_slack_install";

}  // namespace okr::bot::slack
