#pragma once
// Interactivity request bodies (form field `payload`, JSON) -> neutral actions and modal
// submissions. Button and select action ids are the ones blocks.hpp renders.
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "bot/slack/parse_error.hpp"
#include "dialogs/message.hpp"

namespace okr::bot::slack {

// A click on one of our buttons or a choice in one of our selects.
struct BlockAction {
  std::string team_id;
  std::string channel_id;  // where the clicked message is (container.channel_id)
  std::string message_ts;  // the clicked message, for chat.update
  std::string response_url;
  std::string trigger_id;
  std::string action_ts;     // unique per click; part of the dedupe key
  dialogs::Inbound inbound;  // with `action` set
  std::string chosen_label;  // the clicked button's text or the selected option's text
  std::string message_text;  // the clicked message as Slack sent it back, so it can be
  nlohmann::json message_blocks = nlohmann::json::array();  // updated without the buttons
};

// A modal's submit: values by block id, then action id.
struct ViewSubmission {
  std::string team_id;
  std::string user_id;
  std::string view_id;
  std::string callback_id;
  std::string private_metadata;
  std::map<std::string, std::map<std::string, std::string>> values;
};

// Valid, but not ours to act on (view_closed, shortcuts, a click on a foreign action id).
struct IgnoredInteraction {
  std::string type;
  std::string reason;
};

using ParsedInteraction = std::variant<BlockAction, ViewSubmission, IgnoredInteraction, ParseError>;

ParsedInteraction parse_interaction(std::string_view form_body);

}  // namespace okr::bot::slack
