#pragma once
// POST /slack/events, /slack/commands, /slack/interactive. Each handler is a thin, ordered list
// of checks on the raw request: configured? → signature over the raw bytes (401) → parse (400)
// → url_verification (200 challenge) → hand the neutral request to `accept`, which stores it
// durably and queues the turn → 200 at once. No Web API call and no dialog work happens before
// the acknowledgement; the turn runs later and its replies go through the outbox.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bot/pipeline/clock.hpp"
#include "bot/slack/own_identity.hpp"
#include "dialogs/message.hpp"
#include "storage/outbox.hpp"

namespace okr::bot::http {
class Router;
}

namespace okr::bot::slack {

struct SlackRouteSettings {
  std::string signing_secret;  // empty (or no bot token) → every route answers 503
  std::string bot_token;       // only checked for presence here
  OwnIdentity self;            // from auth.test, to ignore our own messages
};

// What one verified Slack request asks of the pipeline.
struct SlackRequest {
  enum class Kind {
    turn,         // run `message` as a dialog turn; replies to `reply_to`
    home,         // publish the Home tab for `message.user` (no turn)
    notice_only,  // nothing to run; just send `immediate`
    edit_modal,   // "Edit a part" on a draft card: open the edit modal with `trigger_id` at
                  // once (it expires in 3 s); when that cannot be done, run `message` as a turn
  };
  Kind kind = Kind::turn;
  std::string event_key;  // dedupe key: Slack event_id, or one derived from the payload
  dialogs::Inbound message;
  storage::OutboxAddress reply_to;
  std::string trigger_id;  // edit_modal: the click's trigger for views.open
  // Sent whether or not a turn runs, written with the inbox entry (e.g. chat.update of a
  // clicked message, a thread reply to a mention).
  std::vector<storage::OutboxItem> immediate;
};

// Stores the request durably and queues its work; returns false when `event_key` was already
// recorded (a Slack retry: acknowledge, do nothing). Called on a network thread: it must only
// record and queue. Throwing answers 500, so Slack delivers the event again later.
using AcceptSlackRequest = std::function<bool(const SlackRequest&)>;

// Observes outcomes for metrics ("signature_rejected", "duplicate", "accepted", "ignored",
// "malformed"); may be empty.
using SlackRouteObserver =
    std::function<void(const std::string& route, const std::string& outcome)>;

void add_slack_routes(http::Router& router, SlackRouteSettings settings, AcceptSlackRequest accept,
                      pipeline::Clock clock, SlackRouteObserver observe = {});

// The neutral conversation of a person's DM with the coach. Keyed by the person, not by Slack's
// D… channel id, because a slash command typed in a channel must continue the same dialog and
// arrives without the DM's id (which needs a Web API call, not allowed before the ack).
std::string dm_conversation(const std::string& user_id);

// Slack requests are small; anything bigger is not Slack.
inline constexpr std::size_t kSlackBodyLimit = 256 * 1024;

}  // namespace okr::bot::slack
