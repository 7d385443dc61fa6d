#pragma once
// Events API request bodies (JSON) -> what the coach should do with them. Applies Slack's
// ignore rules (bots, ourselves, edits and other subtypes) before any dialog logic sees a message.
#include <string>
#include <string_view>
#include <variant>

#include "bot/slack/own_identity.hpp"
#include "bot/slack/parse_error.hpp"
#include "dialogs/message.hpp"

namespace okr::bot::slack {

// Saving the Request URL in the app settings: answer with the challenge.
struct UrlVerification {
  std::string challenge;
};

// Fields every event_callback carries.
struct EventEnvelope {
  std::string event_id;  // the dedupe key; the same on Slack's retries
  std::string team_id;
  std::string event_type;  // the inner event's `type`
  std::string enterprise_id;  // Enterprise Grid only
  // Our bot user in this workspace, from `authorizations` (each workspace has its own): a
  // message from it is our own. Empty when the payload carries none.
  std::string bot_user_id;
};

// A person wrote to the bot in its DM: one dialog turn.
struct DirectMessage {
  EventEnvelope envelope;
  dialogs::Inbound inbound;  // platform "slack", workspace team, conversation the D… channel
};

// Someone @-mentioned the bot in a channel; the reply goes into the thread.
struct AppMention {
  EventEnvelope envelope;
  dialogs::Inbound inbound;  // text without the leading <@BOT> mention
  std::string channel;
  std::string thread_ts;  // the mention's thread, or its own ts when it started none
};

// The person opened the App Home: publish their Home tab.
struct HomeOpened {
  EventEnvelope envelope;
  std::string user;
  std::string channel;
  std::string tab;  // "home" or "messages"
};

// Valid but nothing to do: our own or another bot's message, an edit, an unknown event type,
// an app_rate_limited notice. Answered 200 so Slack does not retry.
struct IgnoredEvent {
  EventEnvelope envelope;
  std::string reason;
};

// app_uninstalled, or tokens_revoked naming bot tokens: the workspace's installation is gone,
// so its stored token must be forgotten and nothing more sent there.
struct WorkspaceRemoved {
  EventEnvelope envelope;
  std::string reason;  // the event type
};

using ParsedEvent = std::variant<UrlVerification, DirectMessage, AppMention, HomeOpened,
                                 IgnoredEvent, WorkspaceRemoved, ParseError>;

ParsedEvent parse_event(std::string_view body, const OwnIdentity& self);

}  // namespace okr::bot::slack
