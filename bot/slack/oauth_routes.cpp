#include "bot/slack/oauth_routes.hpp"

#include <memory>
#include <optional>

#include <spdlog/spdlog.h>

#include "bot/http/router.hpp"
#include "bot/slack/form.hpp"
#include "bot/slack/oauth_pages.hpp"
#include "bot/slack/oauth_scopes.hpp"
#include "bot/slack/oauth_state.hpp"
#include "bot/slack/oauth_tokens.hpp"
#include "bot/slack/web_api.hpp"

namespace okr::bot::slack {
namespace {

using http::HttpRequest;
using http::HttpResponse;

struct Context {
  Context(OAuthRouteSettings s, OAuthHandlers h, pipeline::Clock clock)
      : settings(std::move(s)), handlers(std::move(h)), states(std::move(clock)) {}

  OAuthRouteSettings settings;
  OAuthHandlers handlers;
  mutable InstallStates states;  // issuing and using up states is not a change of settings

  bool configured() const {
    return !settings.client.client_id.empty() && !settings.client.client_secret.empty() &&
           !settings.client.redirect_url.empty();
  }
  void note(const std::string& outcome) const {
    if (handlers.observe)
      handlers.observe(outcome);
  }
};

std::string scope_list() {
  std::string out;
  for (const auto scope : kBotScopes) {
    if (!out.empty())
      out += ',';
    out += scope;
  }
  return out;
}

// The value of our cookie in a Cookie header ("a=1; okr_slack_install=v").
std::optional<std::string> cookie_value(const HttpRequest& request) {
  const auto header = request.header("Cookie");
  if (!header)
    return std::nullopt;
  std::string_view rest = *header;
  const std::string prefix = std::string(kInstallCookie) + "=";
  while (!rest.empty()) {
    const auto end = rest.find(';');
    auto part = rest.substr(0, end);
    while (!part.empty() && part.front() == ' ')
      part.remove_prefix(1);
    if (part.starts_with(prefix))
      return std::string(part.substr(prefix.size()));
    if (end == std::string_view::npos)
      break;
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

std::string cookie_header(const Context& context, const std::string& value, int max_age) {
  // Lax: the browser sends it on Slack's top-level redirect back to us, not on cross-site posts.
  std::string text = std::string(kInstallCookie) + "=" + value +
                     "; Path=/slack/oauth; Max-Age=" + std::to_string(max_age) +
                     "; HttpOnly; SameSite=Lax";
  if (context.settings.client.redirect_url.starts_with("https://"))
    text += "; Secure";
  return text;
}

HttpResponse not_configured(const Context& context) {
  context.note("not_configured");
  return install_problem_page(
      503, "Installing is not switched on here",
      "This OKR Coach server is not set up to be installed from Slack yet. Whoever runs it can "
      "switch it on by setting SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_REDIRECT_URL "
      "(see docs/slack.md, \"Many workspaces\").");
}

HttpResponse no_key(const Context& context) {
  context.note("no_key");
  spdlog::error("slack install refused: {}", MissingSecretKey().what());
  return install_problem_page(
      503, "Not quite ready to install",
      "This OKR Coach server has no key to keep workspace tokens safe, so it will not store "
      "one. Whoever runs it can fix this: generate a key with `openssl rand -base64 32`, set "
      "it as OKR_COACH_SECRET_KEY, restart, and try the install again.");
}

HttpResponse start_again(int status, const std::string& why) {
  return install_problem_page(status, "Let's start that again",
                              why + " Nothing was installed. Please start again from the "
                                    "install link (/slack/install) in this same browser.");
}

HttpResponse handle_install(const Context& context) {
  if (!context.configured())
    return not_configured(context);
  if (!context.settings.can_store)
    return no_key(context);
  const auto issued = context.states.issue();
  const std::string location =
      context.settings.authorize_url + "?client_id=" + form_encode(context.settings.client.client_id) +
      "&scope=" + form_encode(scope_list()) + "&state=" + form_encode(issued.state) +
      "&redirect_uri=" + form_encode(context.settings.client.redirect_url);
  auto response = install_redirect_page(302, location);
  response.headers.emplace_back(
      "Set-Cookie",
      cookie_header(context, issued.cookie,
                    static_cast<int>(std::chrono::seconds(InstallStates::kLifetime).count())));
  context.note("redirected");
  return response;
}

HttpResponse handle_callback(const Context& context, const HttpRequest& request) {
  if (!context.configured())
    return not_configured(context);
  const auto fields = parse_form(request.query);
  if (!fields) {
    context.note("bad_state");
    return start_again(400, "That link back from Slack was garbled.");
  }
  const auto state = form_value(*fields, "state").value_or("");
  const auto cookie = cookie_value(request);
  const auto check = context.states.consume(state, cookie ? std::optional<std::string_view>(*cookie)
                                                : std::nullopt);
  auto finish = [&](HttpResponse response) {
    response.headers.emplace_back("Set-Cookie", cookie_header(context, "", 0));  // used up
    return response;
  };
  if (const auto error = form_value(*fields, "error")) {
    context.note("denied");
    spdlog::info("slack install: not allowed in Slack ({})", *error);
    return finish(install_problem_page(
        403, "No problem, nothing was installed",
        "Slack says the install was not allowed, so OKR Coach was not added. If that was a "
        "mistake, or a workspace admin needs to approve it first, you can start again from the "
        "install link whenever you like."));
  }
  if (check != StateCheck::ok) {
    context.note("bad_state");
    spdlog::warn("slack install: callback from {} refused: state {}", request.remote_address,
                 to_string(check));
    return finish(start_again(
        400, check == StateCheck::expired
                 ? "That install took longer than ten minutes, so its link has expired."
                 : "That install link was already used, or was started in another browser."));
  }
  const auto code = form_value(*fields, "code").value_or("");
  if (code.empty()) {
    context.note("bad_state");
    return finish(start_again(400, "Slack did not send back the code the install needs."));
  }
  if (!context.settings.can_store)
    return finish(no_key(context));
  GrantedInstallation granted;
  try {
    granted = context.handlers.exchange(code);
  } catch (const std::exception& error) {
    context.note("exchange_failed");
    // SlackApiError messages name the method and Slack's error code, never the code or secret.
    spdlog::warn("slack install: oauth.v2.access failed: {}", error.what());
    return finish(install_problem_page(
        502, "Slack did not confirm the install",
        "We asked Slack to finish the install, but it did not agree this time, so nothing was "
        "installed. Please start again from the install link in a minute; if it keeps "
        "happening, whoever runs this server will find the reason in its log."));
  }
  try {
    context.handlers.store(granted);
  } catch (const MissingSecretKey&) {
    return finish(no_key(context));
  } catch (const std::exception& error) {
    context.note("store_failed");
    spdlog::error("slack install: storing workspace {} failed: {}", granted.team_id, error.what());
    return finish(install_problem_page(
        500, "We could not save the install",
        "Slack agreed, but this server could not save the workspace. Please try again in a "
        "minute."));
  }
  context.note("installed");
  spdlog::info("slack: installed in workspace {} ({}) by {}", granted.team_id, granted.team_name,
               granted.installer_user_id);
  return finish(installed_page(granted.team_name));
}

}  // namespace

std::string authorize_url_for(const std::string& api_url) {
  std::string base = api_url;
  if (!base.empty() && base.back() != '/')
    base += '/';
  if (base.ends_with("/api/"))
    base.resize(base.size() - 4);
  return base + "oauth/v2/authorize";
}

void add_oauth_routes(http::Router& router, OAuthRouteSettings settings, OAuthHandlers handlers,
                      pipeline::Clock clock) {
  auto context =
      std::make_shared<const Context>(std::move(settings), std::move(handlers), std::move(clock));
  router.add("GET", "/slack/install",
             [context](const HttpRequest&) { return handle_install(*context); });
  router.add("GET", "/slack/oauth/callback", [context](const HttpRequest& request) {
    return handle_callback(*context, request);
  });
}

}  // namespace okr::bot::slack
