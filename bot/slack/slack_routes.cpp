#include "bot/slack/slack_routes.hpp"

#include <memory>
#include <optional>
#include <utility>

#include <spdlog/spdlog.h>

#include "bot/http/router.hpp"
#include "bot/slack/signature.hpp"

namespace okr::bot::slack {
namespace {

using http::HttpRequest;
using http::HttpResponse;

struct Context {
  SlackRouteSettings settings;
  SigningKey key;  // settings.signing_secret, keyed once for every request
  SlackInbound inbound;
  pipeline::Clock clock;
  SlackRouteObserver observe;
};

HttpResponse not_configured() {
  return http::json_error(503, "slack_not_configured",
                          "Slack is not set up on this server: SLACK_SIGNING_SECRET and "
                          "SLACK_BOT_TOKEN must both be set.");
}

// The first checks every Slack route shares. Returns a response when the request stops here.
std::optional<HttpResponse> reject_unless_signed(const Context& context, const std::string& route,
                                                 const HttpRequest& request) {
  if (context.settings.signing_secret.empty() || context.settings.bot_token.empty()) {
    return not_configured();
  }
  const auto check = context.key.verify(request.header("X-Slack-Request-Timestamp"),
                                        request.header("X-Slack-Signature"), request.body,
                                        context.clock());
  if (check == SignatureCheck::ok)
    return std::nullopt;
  // Neither the secret nor the signature goes to the log: only why and from where.
  spdlog::warn("slack {}: rejected request from {}: signature {}", route, request.remote_address,
               to_string(check));
  if (context.observe)
    context.observe(route, "signature_rejected");
  return http::json_error(401, "invalid_signature", "The request signature could not be verified.");
}

// The one place a SlackAnswer becomes an HTTP response.
HttpResponse to_http(const SlackAnswer& answer) {
  if (answer.malformed)
    return http::json_error(400, "malformed_request", answer.error);
  if (answer.not_stored)  // the reason is in the log; Slack only needs to try again
    return http::json_error(500, "internal", "Something went wrong on our side; please try again.");
  if (!answer.json_body.empty())
    return http::json_response(200, answer.json_body);
  HttpResponse response;
  response.status = 200;
  return response;
}

SlackAnswered answer_with(http::Respond respond) {
  return [respond = std::move(respond)](SlackAnswer answer) { respond(to_http(answer)); };
}

// Each route answers later: the request waits for its inbox batch without holding a network
// thread, so concurrent requests share one commit.
void handle_event(const Context& context, const HttpRequest& request, http::Respond respond) {
  if (auto rejected = reject_unless_signed(context, "events", request))
    return respond(std::move(*rejected));
  context.inbound.event(request.body, answer_with(std::move(respond)));
}

void handle_command(const Context& context, const HttpRequest& request, http::Respond respond) {
  if (auto rejected = reject_unless_signed(context, "commands", request))
    return respond(std::move(*rejected));
  context.inbound.command(request.body, request.header("X-Slack-Request-Timestamp").value_or(""),
                          answer_with(std::move(respond)));
}

void handle_interaction(const Context& context, const HttpRequest& request,
                        http::Respond respond) {
  if (auto rejected = reject_unless_signed(context, "interactive", request))
    return respond(std::move(*rejected));
  context.inbound.interaction(request.body, answer_with(std::move(respond)));
}

}  // namespace

void add_slack_routes(http::Router& router, SlackRouteSettings settings,
                      HandOverSlackRequest hand_over, pipeline::Clock clock,
                      SlackRouteObserver observe) {
  SlackInbound inbound(settings.self, std::move(hand_over), observe);
  SigningKey key(settings.signing_secret);
  auto context = std::make_shared<const Context>(Context{std::move(settings), std::move(key),
                                                         std::move(inbound), std::move(clock),
                                                         std::move(observe)});
  router.add_deferred(
      "POST", "/slack/events",
      [context](HttpRequest&& request, http::Respond respond) {
        handle_event(*context, request, std::move(respond));
      },
      kSlackBodyLimit);
  router.add_deferred(
      "POST", "/slack/commands",
      [context](HttpRequest&& request, http::Respond respond) {
        handle_command(*context, request, std::move(respond));
      },
      kSlackBodyLimit);
  router.add_deferred(
      "POST", "/slack/interactive",
      [context](HttpRequest&& request, http::Respond respond) {
        handle_interaction(*context, request, std::move(respond));
      },
      kSlackBodyLimit);
}

}  // namespace okr::bot::slack
