#include "bot/slack/events.hpp"

#include <nlohmann/json.hpp>

#include "bot/slack/json_fields.hpp"

namespace okr::bot::slack {
namespace {

using nlohmann::json;

ParseError missing(std::string_view what, std::string_view field) {
  return ParseError{std::string(what) + " without " + std::string(field)};
}

// "<@U123> draft please" -> "draft please": the mention names us, the rest is the request.
std::string without_leading_mentions(std::string text) {
  for (;;) {
    const auto start = text.find_first_not_of(" \t\n");
    if (start == std::string::npos) {
      return {};
    }
    if (text.compare(start, 2, "<@") != 0) {
      return text.substr(start);
    }
    const auto end = text.find('>', start);
    if (end == std::string::npos) {
      return text.substr(start);
    }
    text.erase(0, end + 1);
  }
}

dialogs::Inbound inbound_from(const std::string& team, const std::string& user,
                              const std::string& channel, std::string text) {
  dialogs::Inbound inbound;
  inbound.platform = "slack";
  inbound.workspace = team;
  inbound.user = user;
  inbound.conversation = channel;
  inbound.text = std::move(text);
  return inbound;
}

ParsedEvent message_event(const EventEnvelope& envelope, const json& event,
                          const OwnIdentity& self) {
  const auto user = string_field(event, "user");
  // Our own posts come back to us as message events; answering them would loop forever.
  if (event.contains("bot_id") || event.contains("bot_profile")) {
    return IgnoredEvent{envelope, "message from a bot"};
  }
  if (const auto subtype = string_field(event, "subtype")) {
    return IgnoredEvent{envelope, "message subtype " + *subtype};
  }
  if (user && ((!self.bot_user_id.empty() && *user == self.bot_user_id) ||
               (!envelope.bot_user_id.empty() && *user == envelope.bot_user_id))) {
    return IgnoredEvent{envelope, "our own message"};
  }
  if (string_field(event, "channel_type").value_or("") != "im") {
    return IgnoredEvent{envelope, "message outside a direct message"};
  }
  const auto channel = string_field(event, "channel");
  if (!user) {
    return missing("message event", "user");
  }
  if (!channel) {
    return missing("message event", "channel");
  }
  return DirectMessage{envelope, inbound_from(envelope.team_id, *user, *channel,
                                              string_field(event, "text").value_or(""))};
}

ParsedEvent mention_event(const EventEnvelope& envelope, const json& event,
                          const OwnIdentity& self) {
  const auto user = string_field(event, "user");
  if (event.contains("bot_id") ||
      (user && !self.bot_user_id.empty() && *user == self.bot_user_id)) {
    return IgnoredEvent{envelope, "mention by a bot"};
  }
  const auto channel = string_field(event, "channel");
  const auto ts = string_field(event, "ts");
  if (!user)
    return missing("app_mention event", "user");
  if (!channel)
    return missing("app_mention event", "channel");
  if (!ts)
    return missing("app_mention event", "ts");
  AppMention mention{
      envelope,
      inbound_from(envelope.team_id, *user, *channel,
                   without_leading_mentions(string_field(event, "text").value_or(""))),
      *channel, string_field(event, "thread_ts").value_or(*ts)};
  return mention;
}

// tokens_revoked lists user tokens under "oauth" and bot tokens under "bot"; only losing the
// bot token ends the installation.
ParsedEvent revoked_event(const EventEnvelope& envelope, const json& event) {
  const json& tokens = object_field(event, "tokens");
  if (tokens.is_null())
    return missing("tokens_revoked event", "tokens");
  const auto bots = tokens.find("bot");
  if (bots == tokens.end() || !bots->is_array() || bots->empty())
    return IgnoredEvent{envelope, "only user tokens revoked"};
  return WorkspaceRemoved{envelope, "tokens_revoked"};
}

// The bot user this event was delivered to, from the first bot entry of `authorizations`.
std::string authorized_bot(const json& envelope) {
  const auto list = envelope.find("authorizations");
  if (list == envelope.end() || !list->is_array())
    return {};
  for (const auto& entry : *list) {
    const auto is_bot = entry.is_object() ? entry.find("is_bot") : entry.end();
    if (is_bot != entry.end() && is_bot->is_boolean() && is_bot->get<bool>())
      return string_field(entry, "user_id").value_or("");
  }
  return {};
}

ParsedEvent home_event(const EventEnvelope& envelope, const json& event) {
  const auto user = string_field(event, "user");
  if (!user)
    return missing("app_home_opened event", "user");
  return HomeOpened{envelope, *user, string_field(event, "channel").value_or(""),
                    string_field(event, "tab").value_or("home")};
}

}  // namespace

ParsedEvent parse_event(std::string_view body, const OwnIdentity& self) {
  const json envelope = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (envelope.is_discarded()) {
    return ParseError{"body is not valid JSON"};
  }
  if (!envelope.is_object()) {
    return ParseError{"body is not a JSON object"};
  }
  const auto type = string_field(envelope, "type");
  if (!type) {
    return ParseError{"envelope without type"};
  }
  if (*type == "url_verification") {
    const auto challenge = string_field(envelope, "challenge");
    if (!challenge)
      return missing("url_verification", "challenge");
    return UrlVerification{*challenge};
  }
  EventEnvelope fields{string_field(envelope, "event_id").value_or(""),
                       string_field(envelope, "team_id").value_or(""), "",
                       string_field(envelope, "enterprise_id").value_or(""),
                       authorized_bot(envelope)};
  if (*type != "event_callback") {
    // app_rate_limited and anything Slack adds later: acknowledged, nothing to do.
    fields.event_type = *type;
    return IgnoredEvent{fields, "envelope type " + *type};
  }
  if (fields.event_id.empty())
    return missing("event_callback", "event_id");
  if (fields.team_id.empty())
    return missing("event_callback", "team_id");
  const json& event = object_field(envelope, "event");
  if (event.is_null())
    return missing("event_callback", "event object");
  const auto event_type = string_field(event, "type");
  if (!event_type)
    return missing("event", "type");
  fields.event_type = *event_type;
  if (*event_type == "message")
    return message_event(fields, event, self);
  if (*event_type == "app_mention")
    return mention_event(fields, event, self);
  if (*event_type == "app_home_opened")
    return home_event(fields, event);
  if (*event_type == "app_uninstalled")
    return WorkspaceRemoved{fields, "app_uninstalled"};
  if (*event_type == "tokens_revoked")
    return revoked_event(fields, event);
  return IgnoredEvent{fields, "event type " + *event_type + " is not handled"};
}

}  // namespace okr::bot::slack
