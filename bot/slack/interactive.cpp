#include "bot/slack/interactive.hpp"

#include <nlohmann/json.hpp>

#include "bot/slack/action_ids.hpp"
#include "bot/slack/form.hpp"
#include "bot/slack/json_fields.hpp"

namespace okr::bot::slack {
namespace {

using nlohmann::json;

// The value an element in view.state or actions[] holds, whatever its kind.
std::string element_value(const json& element) {
  if (auto value = string_field(element, "value"))
    return *value;
  if (auto value = string_field(object_field(element, "selected_option"), "value"))
    return *value;
  if (auto value = string_field(element, "selected_date"))
    return *value;
  return {};
}

ParsedInteraction block_actions(const json& payload) {
  const json& user = object_field(payload, "user");
  const auto user_id = string_field(user, "id");
  if (!user_id)
    return ParseError{"block_actions without user.id"};
  const json& container = object_field(payload, "container");
  const json& channel = object_field(payload, "channel");
  const auto actions = payload.find("actions");
  if (actions == payload.end() || !actions->is_array() || actions->empty() ||
      !actions->front().is_object()) {
    return ParseError{"block_actions without actions"};
  }
  // Slack sends one action per click; a payload with more holds the same click's context.
  const json& clicked = actions->front();
  const auto action_id = string_field(clicked, "action_id");
  if (!action_id)
    return ParseError{"block_actions action without action_id"};
  const auto action = action_from_slack(*action_id, element_value(clicked));
  if (!action) {
    return IgnoredInteraction{"block_actions", "action id is not one of ours"};
  }
  BlockAction out;
  out.team_id = string_field(object_field(payload, "team"), "id")
                    .value_or(string_field(user, "team_id").value_or(""));
  out.channel_id =
      string_field(container, "channel_id").value_or(string_field(channel, "id").value_or(""));
  out.message_ts = string_field(container, "message_ts").value_or("");
  out.response_url = string_field(payload, "response_url").value_or("");
  out.trigger_id = string_field(payload, "trigger_id").value_or("");
  out.action_ts = string_field(clicked, "action_ts").value_or("");
  out.inbound.platform = "slack";
  out.inbound.workspace = out.team_id;
  out.inbound.user = *user_id;
  out.inbound.conversation = out.channel_id;
  out.inbound.action = *action;
  out.chosen_label =
      string_field(object_field(clicked, "text"), "text")
          .value_or(
              string_field(object_field(object_field(clicked, "selected_option"), "text"), "text")
                  .value_or(action->value));
  const json& message = object_field(payload, "message");
  out.message_text = string_field(message, "text").value_or("");
  if (const auto blocks = message.find("blocks");
      message.is_object() && blocks != message.end() && blocks->is_array()) {
    out.message_blocks = *blocks;
  }
  return out;
}

ParsedInteraction view_submission(const json& payload) {
  const auto user_id = string_field(object_field(payload, "user"), "id");
  if (!user_id)
    return ParseError{"view_submission without user.id"};
  const json& view = object_field(payload, "view");
  if (view.is_null())
    return ParseError{"view_submission without view"};
  ViewSubmission out;
  out.team_id = string_field(object_field(payload, "team"), "id").value_or("");
  out.user_id = *user_id;
  out.view_id = string_field(view, "id").value_or("");
  out.callback_id = string_field(view, "callback_id").value_or("");
  out.private_metadata = string_field(view, "private_metadata").value_or("");
  const json& values = object_field(object_field(view, "state"), "values");
  if (values.is_object()) {
    for (const auto& [block_id, elements] : values.items()) {
      if (!elements.is_object())
        continue;
      for (const auto& [action_id, element] : elements.items()) {
        out.values[block_id][action_id] = element_value(element);
      }
    }
  }
  return out;
}

}  // namespace

ParsedInteraction parse_interaction(std::string_view form_body) {
  const auto fields = parse_form(form_body);
  if (!fields)
    return ParseError{"form body has a broken %-escape"};
  const auto text = form_value(*fields, "payload");
  if (!text)
    return ParseError{"form body without payload field"};
  const json payload = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) {
    return ParseError{"payload field is not a JSON object"};
  }
  const auto type = string_field(payload, "type");
  if (!type)
    return ParseError{"payload without type"};
  if (*type == "block_actions")
    return block_actions(payload);
  if (*type == "view_submission")
    return view_submission(payload);
  return IgnoredInteraction{*type, "interaction type is not handled"};
}

}  // namespace okr::bot::slack
