#pragma once
// POST /api/messages, the Bot Framework messaging endpoint. A thin ordered list of checks:
// configured? (503) → the Bot Connector's JWT (401, logged without the token) → the activity
// readable? (400 naming what is wrong) → ignored types answered 200 → `accept` stores it durably
// and queues its work → 200 at once. No connector call and no dialog work happen before the
// answer; the channel gives up on us after about 15 seconds.
#include <cstddef>
#include <functional>
#include <string>

#include "bot/teams/activity.hpp"

namespace okr::bot::http {
class Router;
}

namespace okr::bot::teams {

class InboundAuthenticator;

// Records the activity and queues its work; false when it was seen before (a redelivery:
// answer 200, do nothing). Throwing answers 500, so the channel delivers it again.
using AcceptActivity = std::function<bool(const TeamsActivity&)>;
// "accepted", "duplicate", "ignored", "malformed", "unauthorized", "not_configured"; may be empty.
using TeamsRouteObserver = std::function<void(const std::string& outcome)>;

// `authenticator` null = not configured (503); otherwise it must outlive the router.
void add_teams_route(http::Router& router, InboundAuthenticator* authenticator,
                     AcceptActivity accept, TeamsRouteObserver observe = {});

// Activities are small JSON documents; anything bigger is not the Bot Connector.
inline constexpr std::size_t kTeamsBodyLimit = 256 * 1024;

}  // namespace okr::bot::teams
