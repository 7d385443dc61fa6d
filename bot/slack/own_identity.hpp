#pragma once
// Who the bot is in the workspace (from auth.test at start), so it can ignore its own messages.
#include <string>

namespace okr::bot::slack {

struct OwnIdentity {
  std::string bot_user_id;  // U… of the bot user
  std::string bot_id;       // B… of the bot
};

}  // namespace okr::bot::slack
