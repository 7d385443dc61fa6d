#pragma once
// How a neutral question becomes Slack action ids and back. A button's action_id carries the
// question id (plus the choice's position, because action ids must differ within a block) and
// its value the choice id; a select's action_id carries the question id and each option value a
// choice id (or a scale number). Anything not starting with our prefix is someone else's and is
// ignored.
#include <optional>
#include <string>
#include <string_view>

#include "dialogs/message.hpp"

namespace okr::bot::slack {

inline constexpr std::string_view kActionPrefix = "okr:";

// "okr:<question id>:<position>" for the position-th button of a question.
std::string button_action_id(std::string_view question_id, std::size_t position);
// "okr:<question id>:select" for a select. The parser drops whatever follows the last colon.
std::string select_action_id(std::string_view question_id);

// The neutral action for a clicked action id and its value (button value or selected option).
// nullopt for an action id that is not ours.
std::optional<dialogs::Action> action_from_slack(std::string_view action_id,
                                                 std::string_view value);

}  // namespace okr::bot::slack
