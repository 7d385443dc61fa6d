#pragma once
// What Slack sends us, whichever way it arrives (signed HTTP POST or a Socket Mode envelope),
// turned into one neutral SlackRequest handed to `accept`, plus what Slack gets back. One
// function per kind (events, slash commands, interactivity): the HTTP routes and the Socket Mode
// client call the same ones, so parsing, ignore rules, dedupe keys and answers never diverge.
// The transport checks (signature for HTTP) come before; the transport's own answer (HTTP
// response or Socket Mode ack) is built from the SlackAnswer after.
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "bot/slack/own_identity.hpp"
#include "dialogs/message.hpp"
#include "storage/outbox.hpp"

namespace okr::bot::slack {

// What one Slack request asks of the pipeline.
struct SlackRequest {
  enum class Kind {
    turn,         // run `message` as a dialog turn; replies to `reply_to`
    home,         // publish the Home tab for `message.user` (no turn)
    notice_only,  // nothing to run; just send `immediate`
    edit_modal,   // "Edit a part" on a draft card: open the edit modal with `trigger_id` at
                  // once (it expires in 3 s); when that cannot be done, run `message` as a turn
    workspace_removed,  // app_uninstalled / tokens_revoked: forget `message.workspace`'s
                        // installation (its token) so nothing more is sent there
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
// recorded (a Slack retry: acknowledge, do nothing). Throwing means "not stored": HTTP answers
// 500 and Socket Mode sends no ack, so Slack delivers the request again later.
using AcceptSlackRequest = std::function<bool(const SlackRequest&)>;

// The same hand-over without holding the caller: `done` runs exactly once, on any thread, after
// the request was stored (`fresh`; false for a duplicate) or could not be (`error` set). This
// is what lets many concurrent requests share one inbox transaction (group commit) without a
// network thread waiting for each.
using AcceptDone = std::function<void(bool fresh, std::exception_ptr error)>;
using HandOverSlackRequest = std::function<void(SlackRequest request, AcceptDone done)>;

// A synchronous store (tests, simple callers) as a hand-over: `done` runs before it returns.
HandOverSlackRequest hand_over_at_once(AcceptSlackRequest accept);

// Observes outcomes for metrics ("signature_rejected", "duplicate", "accepted", "ignored",
// "malformed", "help", "invalid_edit", "not_stored") by route ("events", "commands", "interactive"); may be
// empty.
using SlackRouteObserver =
    std::function<void(const std::string& route, const std::string& outcome)>;

// What Slack gets back for one request.
struct SlackAnswer {
  bool malformed = false;  // the payload could not be read (HTTP 400); `error` says why
  // The request could not be stored (HTTP 500, no Socket Mode ack: Slack delivers it again);
  // `error` says why, for the log only.
  bool not_stored = false;
  std::string error;
  // The JSON Slack should receive (help text, modal errors, the url_verification challenge);
  // empty for a plain acknowledgement.
  std::string json_body;
};

// Receives the answer to one request, on whichever thread stored it.
using SlackAnswered = std::function<void(SlackAnswer answer)>;

// Thrown by the waiting forms of SlackInbound when the request was not stored.
struct SlackRequestNotStored : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class SlackInbound {
 public:
  // `self` is the bot's own identity (auth.test), to ignore its own messages. The inbound must
  // outlive every hand-over still waiting for its `done`.
  SlackInbound(OwnIdentity self, HandOverSlackRequest hand_over, SlackRouteObserver observe = {});

  // Parsing and the ignore rules run on the caller's thread; `done` gets the answer once the
  // request is stored (at once when there is nothing to store). The body is not kept.
  // An Events API envelope (JSON).
  void event(std::string_view json_body, SlackAnswered done) const;
  // A slash command (form-encoded fields). `fallback_key` makes the dedupe key of a command
  // that carries no trigger_id (HTTP: the request timestamp; Socket Mode: the envelope id).
  void command(std::string_view form_body, std::string_view fallback_key,
               SlackAnswered done) const;
  // An interactivity request (form-encoded, one `payload` field holding JSON).
  void interaction(std::string_view form_body, SlackAnswered done) const;

  // The same, waiting for the answer (Socket Mode acks from its own thread). Throws
  // SlackRequestNotStored when the request could not be stored.
  SlackAnswer event(std::string_view json_body) const;
  SlackAnswer command(std::string_view form_body, std::string_view fallback_key) const;
  SlackAnswer interaction(std::string_view form_body) const;

 private:
  OwnIdentity self_;
  HandOverSlackRequest hand_over_;
  SlackRouteObserver observe_;
};

// The neutral conversation of a person's DM with the coach. Keyed by the person, not by Slack's
// D… channel id, because a slash command typed in a channel must continue the same dialog and
// arrives without the DM's id (which needs a Web API call, not allowed before the ack).
std::string dm_conversation(const std::string& user_id);

}  // namespace okr::bot::slack
