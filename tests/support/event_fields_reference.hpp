#pragma once
// The reference for bot/slack/event_fields: the same members read from nlohmann::json's tree,
// the way parse_event read them before the one-pass reader. The unit test and the slack_event
// fuzz target compare the two on every body they have.
#include <string_view>

#include <nlohmann/json.hpp>

#include "bot/slack/event_fields.hpp"
#include "bot/slack/json_fields.hpp"

namespace okr::test {

inline bot::slack::EventBodyFields event_fields_from_tree(std::string_view body) {
  using bot::slack::EventBodyFields;
  using bot::slack::object_field;
  using bot::slack::string_field;
  EventBodyFields fields;
  const auto root = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded())
    return fields;  // Shape::not_json
  if (!root.is_object()) {
    fields.shape = EventBodyFields::Shape::not_object;
    return fields;
  }
  fields.shape = EventBodyFields::Shape::object;
  fields.type = string_field(root, "type");
  fields.challenge = string_field(root, "challenge");
  fields.event_id = string_field(root, "event_id");
  fields.team_id = string_field(root, "team_id");
  fields.enterprise_id = string_field(root, "enterprise_id");
  const auto list = root.find("authorizations");
  if (list != root.end() && list->is_array()) {
    for (const auto& entry : *list) {
      const auto is_bot = entry.is_object() ? entry.find("is_bot") : entry.end();
      if (is_bot != entry.end() && is_bot->is_boolean() && is_bot->get<bool>()) {
        fields.authorized_bot = string_field(entry, "user_id").value_or("");
        break;
      }
    }
  }
  const auto& event = object_field(root, "event");
  if (event.is_null())
    return fields;
  EventBodyFields::Event e;
  e.type = string_field(event, "type");
  e.user = string_field(event, "user");
  e.subtype = string_field(event, "subtype");
  e.channel_type = string_field(event, "channel_type");
  e.channel = string_field(event, "channel");
  e.text = string_field(event, "text");
  e.ts = string_field(event, "ts");
  e.thread_ts = string_field(event, "thread_ts");
  e.tab = string_field(event, "tab");
  e.has_bot_id = event.contains("bot_id");
  e.has_bot_profile = event.contains("bot_profile");
  const auto& tokens = object_field(event, "tokens");
  e.tokens_is_object = !tokens.is_null();
  if (e.tokens_is_object) {
    const auto bot = tokens.find("bot");
    if (bot != tokens.end() && bot->is_array())
      e.bot_tokens = bot->size();
  }
  fields.event = e;
  return fields;
}

inline bool same_event_fields(const bot::slack::EventBodyFields& a,
                              const bot::slack::EventBodyFields& b) {
  const auto same_event = [](const auto& x, const auto& y) {
    return x.type == y.type && x.user == y.user && x.subtype == y.subtype &&
           x.channel_type == y.channel_type && x.channel == y.channel && x.text == y.text &&
           x.ts == y.ts && x.thread_ts == y.thread_ts && x.tab == y.tab &&
           x.has_bot_id == y.has_bot_id && x.has_bot_profile == y.has_bot_profile &&
           x.tokens_is_object == y.tokens_is_object && x.bot_tokens == y.bot_tokens;
  };
  if (a.shape != b.shape)
    return false;
  if (a.shape != bot::slack::EventBodyFields::Shape::object)
    return true;  // nothing else is read from a refused body
  return a.type == b.type && a.challenge == b.challenge && a.event_id == b.event_id &&
         a.team_id == b.team_id && a.enterprise_id == b.enterprise_id &&
         a.authorized_bot == b.authorized_bot && a.event.has_value() == b.event.has_value() &&
         (!a.event || same_event(*a.event, *b.event));
}

}  // namespace okr::test
