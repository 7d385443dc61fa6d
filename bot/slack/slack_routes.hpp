#pragma once
// POST /slack/events, /slack/commands, /slack/interactive. Each handler is a thin, ordered list
// of checks on the raw request: configured? (503) → signature over the raw bytes (401) → the
// shared SlackInbound step for its kind (slack_inbound.hpp: parse (400), url_verification
// challenge, hand the neutral request to `accept`, which stores it durably and queues the turn)
// → 200 once stored. No Web API call and no dialog work happens before the acknowledgement; the
// turn runs later and its replies go through the outbox. Socket Mode (socket_mode.hpp) feeds
// its envelopes through the same SlackInbound.
#include <cstddef>
#include <string>

#include "bot/pipeline/clock.hpp"
#include "bot/slack/own_identity.hpp"
#include "bot/slack/slack_inbound.hpp"

namespace okr::bot::http {
class Router;
}

namespace okr::bot::slack {

struct SlackRouteSettings {
  std::string signing_secret;  // empty (or no bot token) → every route answers 503
  std::string bot_token;       // only checked for presence here
  OwnIdentity self;            // from auth.test, to ignore our own messages
};

// The routes answer later (Router::add_deferred): the answer goes out once `hand_over` says the
// request is stored (500 when it could not be, so Slack delivers it again).
void add_slack_routes(http::Router& router, SlackRouteSettings settings,
                      HandOverSlackRequest hand_over, pipeline::Clock clock,
                      SlackRouteObserver observe = {});

// Slack requests are small; anything bigger is not Slack.
inline constexpr std::size_t kSlackBodyLimit = 256 * 1024;

}  // namespace okr::bot::slack
