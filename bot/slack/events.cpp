#include "bot/slack/events.hpp"

#include "bot/slack/event_fields.hpp"

namespace okr::bot::slack {
namespace {

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

using Event = EventBodyFields::Event;

ParsedEvent message_event(const EventEnvelope& envelope, const Event& event,
                          const OwnIdentity& self) {
  const auto& user = event.user;
  // Our own posts come back to us as message events; answering them would loop forever.
  if (event.has_bot_id || event.has_bot_profile) {
    return IgnoredEvent{envelope, "message from a bot"};
  }
  if (event.subtype) {
    return IgnoredEvent{envelope, "message subtype " + *event.subtype};
  }
  if (user && ((!self.bot_user_id.empty() && *user == self.bot_user_id) ||
               (!envelope.bot_user_id.empty() && *user == envelope.bot_user_id))) {
    return IgnoredEvent{envelope, "our own message"};
  }
  if (event.channel_type.value_or("") != "im") {
    return IgnoredEvent{envelope, "message outside a direct message"};
  }
  if (!user) {
    return missing("message event", "user");
  }
  if (!event.channel) {
    return missing("message event", "channel");
  }
  return DirectMessage{envelope,
                       inbound_from(envelope.team_id, *user, *event.channel, event.text.value_or(""))};
}

ParsedEvent mention_event(const EventEnvelope& envelope, const Event& event,
                          const OwnIdentity& self) {
  const auto& user = event.user;
  if (event.has_bot_id || (user && !self.bot_user_id.empty() && *user == self.bot_user_id)) {
    return IgnoredEvent{envelope, "mention by a bot"};
  }
  if (!user)
    return missing("app_mention event", "user");
  if (!event.channel)
    return missing("app_mention event", "channel");
  if (!event.ts)
    return missing("app_mention event", "ts");
  AppMention mention{envelope,
                     inbound_from(envelope.team_id, *user, *event.channel,
                                  without_leading_mentions(event.text.value_or(""))),
                     *event.channel, event.thread_ts.value_or(*event.ts)};
  return mention;
}

// tokens_revoked lists user tokens under "oauth" and bot tokens under "bot"; only losing the
// bot token ends the installation.
ParsedEvent revoked_event(const EventEnvelope& envelope, const Event& event) {
  if (!event.tokens_is_object)
    return missing("tokens_revoked event", "tokens");
  if (event.bot_tokens.value_or(0) == 0)
    return IgnoredEvent{envelope, "only user tokens revoked"};
  return WorkspaceRemoved{envelope, "tokens_revoked"};
}

ParsedEvent home_event(const EventEnvelope& envelope, const Event& event) {
  if (!event.user)
    return missing("app_home_opened event", "user");
  return HomeOpened{envelope, *event.user, event.channel.value_or(""),
                    event.tab.value_or("home")};
}

}  // namespace

ParsedEvent parse_event(std::string_view body, const OwnIdentity& self) {
  auto body_fields = read_event_body(body);
  if (body_fields.shape == EventBodyFields::Shape::not_json) {
    return ParseError{"body is not valid JSON"};
  }
  if (body_fields.shape == EventBodyFields::Shape::not_object) {
    return ParseError{"body is not a JSON object"};
  }
  const auto& type = body_fields.type;
  if (!type) {
    return ParseError{"envelope without type"};
  }
  if (*type == "url_verification") {
    if (!body_fields.challenge)
      return missing("url_verification", "challenge");
    return UrlVerification{std::move(*body_fields.challenge)};
  }
  EventEnvelope fields{body_fields.event_id.value_or(""), body_fields.team_id.value_or(""), "",
                       body_fields.enterprise_id.value_or(""),
                       std::move(body_fields.authorized_bot)};
  if (*type != "event_callback") {
    // app_rate_limited and anything Slack adds later: acknowledged, nothing to do.
    fields.event_type = *type;
    return IgnoredEvent{fields, "envelope type " + *type};
  }
  if (fields.event_id.empty())
    return missing("event_callback", "event_id");
  if (fields.team_id.empty())
    return missing("event_callback", "team_id");
  if (!body_fields.event)
    return missing("event_callback", "event object");
  const Event& event = *body_fields.event;
  if (!event.type)
    return missing("event", "type");
  const std::string& event_type = *event.type;
  fields.event_type = event_type;
  if (event_type == "message")
    return message_event(fields, event, self);
  if (event_type == "app_mention")
    return mention_event(fields, event, self);
  if (event_type == "app_home_opened")
    return home_event(fields, event);
  if (event_type == "app_uninstalled")
    return WorkspaceRemoved{fields, "app_uninstalled"};
  if (event_type == "tokens_revoked")
    return revoked_event(fields, event);
  return IgnoredEvent{fields, "event type " + event_type + " is not handled"};
}

}  // namespace okr::bot::slack
