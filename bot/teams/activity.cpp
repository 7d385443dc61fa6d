#include "bot/teams/activity.hpp"

#include <nlohmann/json.hpp>

namespace okr::bot::teams {
namespace {

using nlohmann::json;

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos)
    return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string string_at(const json& object, const char* key) {
  if (!object.is_object())
    return {};
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// The member `key` when it is a JSON object, else an empty one: a client may send any type, and
// nlohmann's value() throws on a parent that is not an object.
json object_at(const json& parent, const char* key) {
  if (!parent.is_object())
    return json::object();
  const auto it = parent.find(key);
  return it != parent.end() && it->is_object() ? *it : json::object();
}

std::string required(const json& object, const char* key, const std::string& path) {
  auto value = string_at(object, key);
  if (value.empty())
    throw ActivityError(path + " is missing or not a string");
  return value;
}

bool lists_member(const json& members, const std::string& id) {
  if (!members.is_array())
    return false;
  for (const auto& member : members) {
    if (string_at(member, "id") == id)
      return true;
  }
  return false;
}

// A submitted card's value: our action id and the chosen value, either carried in the data or
// read from the input the data names (a ChoiceSet).
std::optional<dialogs::Action> action_from(const json& value, std::string& label) {
  if (!value.is_object())
    return std::nullopt;
  const auto action = string_at(value, kActionKey);
  if (action.empty())
    throw ActivityError("value." + std::string(kActionKey) + " is missing: not one of our cards");
  std::string chosen = string_at(value, kValueKey);
  if (const auto input = string_at(value, kInputKey); !input.empty()) {
    const auto it = value.find(input);
    if (it == value.end())
      throw ActivityError("value." + input + " is missing: the card was sent without a choice");
    chosen = it->is_string() ? it->get<std::string>() : it->dump();
    label = chosen;
  } else {
    label = string_at(value, kLabelKey);
  }
  if (chosen.empty())
    throw ActivityError("value." + std::string(kValueKey) + " is missing");
  return dialogs::Action{action, chosen};
}

}  // namespace

std::string strip_mention(std::string text, const std::string& mention_text) {
  if (!mention_text.empty()) {
    for (auto at = text.find(mention_text); at != std::string::npos; at = text.find(mention_text))
      text.erase(at, mention_text.size());
  }
  return trimmed(text);
}

TeamsActivity parse_activity(const std::string& body) {
  const json root = json::parse(body, nullptr, false);
  if (root.is_discarded() || !root.is_object())
    throw ActivityError("the body is not a JSON object");
  TeamsActivity activity;
  activity.type = required(root, "type", "type");
  activity.id = required(root, "id", "id");
  activity.service_url = required(root, "serviceUrl", "serviceUrl");
  activity.channel_id = string_at(root, "channelId");
  const json conversation = object_at(root, "conversation");
  const json from = object_at(root, "from");
  const json recipient = object_at(root, "recipient");
  const json channel_data = object_at(root, "channelData");
  activity.message.platform = "teams";
  activity.message.conversation = required(conversation, "id", "conversation.id");
  activity.message.user = required(from, "id", "from.id");
  activity.tenant_id = string_at(object_at(channel_data, "tenant"), "id");
  if (activity.tenant_id.empty())
    activity.tenant_id = string_at(conversation, "tenantId");
  if (activity.tenant_id.empty())
    throw ActivityError("channelData.tenant.id is missing (and conversation.tenantId too)");
  activity.message.workspace = activity.tenant_id;
  activity.conversation_type = string_at(conversation, "conversationType");
  if (activity.conversation_type.empty())
    activity.conversation_type = "personal";
  activity.user_name = string_at(from, "name");
  activity.aad_object_id = string_at(from, "aadObjectId");
  activity.bot_id = string_at(recipient, "id");
  activity.reply_to_id = string_at(root, "replyToId");
  activity.locale = string_at(root, "locale");

  std::string mention_text;
  const json entities = root.value("entities", json::array());
  if (entities.is_array()) {
    for (const auto& entity : entities) {
      const auto type = string_at(entity, "type");
      if (type == "clientInfo") {
        activity.time_zone = string_at(entity, "timezone");
        if (activity.locale.empty())
          activity.locale = string_at(entity, "locale");
      } else if (type == "mention" && !activity.bot_id.empty() &&
                 string_at(object_at(entity, "mentioned"), "id") == activity.bot_id) {
        mention_text = string_at(entity, "text");
      }
    }
  }

  if (activity.type == "message") {
    activity.kind = TeamsActivity::Kind::message;
    const auto value = root.find("value");
    if (value != root.end() && value->is_object()) {
      activity.message.action = action_from(*value, activity.clicked_label);
    } else {
      activity.message.text = strip_mention(string_at(root, "text"), mention_text);
      if (activity.message.text.empty())
        activity.kind = TeamsActivity::Kind::ignored;  // an image, a reaction-only message
    }
  } else if (activity.type == "conversationUpdate") {
    if (lists_member(root.value("membersAdded", json()), activity.bot_id))
      activity.kind = TeamsActivity::Kind::bot_added;
    else if (lists_member(root.value("membersRemoved", json()), activity.bot_id))
      activity.kind = TeamsActivity::Kind::bot_removed;
  } else if (activity.type == "installationUpdate") {
    const auto action = string_at(root, "action");
    if (action.starts_with("add"))
      activity.kind = TeamsActivity::Kind::bot_added;
    else if (action.starts_with("remove"))
      activity.kind = TeamsActivity::Kind::bot_removed;
  }
  return activity;
}

}  // namespace okr::bot::teams
