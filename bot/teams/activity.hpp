#pragma once
// One Bot Framework Activity (platforms.md §10) read into what the coach acts on: the neutral
// inbound message, and the conversation reference to keep for writing back later. Parsing is
// pure: no storage, no network.
#include <optional>
#include <stdexcept>
#include <string>

#include "dialogs/message.hpp"

namespace okr::bot::teams {

// The activity is not one we can read; the message names the field (answered 400).
class ActivityError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct TeamsActivity {
  enum class Kind {
    message,          // text, or an Adaptive Card submit (`message.action`)
    bot_added,        // conversationUpdate with the bot among membersAdded, installationUpdate add
    bot_removed,      // conversationUpdate with the bot among membersRemoved, installationUpdate remove
    ignored,          // anything else: 200 and nothing more
  };
  Kind kind = Kind::ignored;
  std::string id;  // dedupe key and the activity replied to
  std::string type;
  std::string service_url;
  std::string channel_id;  // "msteams"
  std::string tenant_id;
  std::string conversation_type;  // personal | groupChat | channel
  std::string user_name;
  std::string aad_object_id;
  std::string bot_id;       // recipient.id, 28:<app id>
  std::string reply_to_id;  // a card submit: the activity that carried the card
  std::string time_zone;    // clientInfo.timezone (IANA), empty when absent
  std::string locale;
  std::string clicked_label;  // a card submit: the label of the choice, for the card update
  dialogs::Inbound message;   // platform "teams", workspace tenant, user from.id (29:…)
};

// Data keys our cards put in Action.Submit `data`, which comes back as the activity's `value`.
inline constexpr const char* kActionKey = "okr_action";
inline constexpr const char* kValueKey = "okr_value";
inline constexpr const char* kLabelKey = "okr_label";
inline constexpr const char* kInputKey = "okr_input";  // names the input holding the value

// Throws ActivityError naming what is missing or wrong.
TeamsActivity parse_activity(const std::string& body);

// The text with the bot's <at>…</at> mention (from `entities`) taken out and trimmed.
std::string strip_mention(std::string text, const std::string& mention_text);

}  // namespace okr::bot::teams
