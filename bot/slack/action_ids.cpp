#include "bot/slack/action_ids.hpp"

namespace okr::bot::slack {

std::string button_action_id(std::string_view question_id, std::size_t position) {
  return std::string(kActionPrefix) + std::string(question_id) + ":" + std::to_string(position);
}

std::string select_action_id(std::string_view question_id) {
  return std::string(kActionPrefix) + std::string(question_id) + ":select";
}

std::optional<dialogs::Action> action_from_slack(std::string_view action_id,
                                                 std::string_view value) {
  if (!action_id.starts_with(kActionPrefix)) {
    return std::nullopt;
  }
  std::string_view question = action_id.substr(kActionPrefix.size());
  // Every id we render ends in ":<position>" or ":select"; question ids may hold colons too.
  const auto colon = question.rfind(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  question = question.substr(0, colon);
  if (question.empty() || value.empty()) {
    return std::nullopt;
  }
  return dialogs::Action{std::string(question), std::string(value)};
}

}  // namespace okr::bot::slack
