#pragma once
// Block Kit rendering of the neutral Outbound. One Outbound may become several Slack messages
// when its content does not fit Slack's limits; every message has a plain `text` fallback for
// notifications and screen readers, and no message ever breaks a limit below.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/message.hpp"

namespace okr::bot::slack {

// Slack's limits (platforms.md §5, §6).
inline constexpr std::size_t kMaxBlocksPerMessage = 50;
inline constexpr std::size_t kMaxSectionText = 3000;
inline constexpr std::size_t kMaxFallbackText = 4000;
inline constexpr std::size_t kMaxHeaderText = 150;
inline constexpr std::size_t kMaxButtonText = 75;
inline constexpr std::size_t kMaxOptionText = 75;
inline constexpr std::size_t kMaxOptionValue = 75;
inline constexpr std::size_t kMaxActionElements = 25;
inline constexpr std::size_t kMaxSelectOptions = 100;
inline constexpr std::size_t kMaxActionId = 255;
inline constexpr std::size_t kMaxFields = 10;
inline constexpr std::size_t kMaxFieldText = 2000;
inline constexpr std::size_t kMaxContextElements = 10;

// One chat.postMessage / chat.update worth: `text` and `blocks` (a JSON array).
struct SlackMessage {
  std::string text;
  nlohmann::json blocks = nlohmann::json::array();
};

std::vector<SlackMessage> render_blocks(const dialogs::Outbound& message);

// A clicked message after the click: the question's buttons replaced by the choice made, so a
// stale button cannot be clicked twice.
SlackMessage render_answered(const SlackMessage& original, std::string_view chosen_label);

// mrkdwn escaping: & < > become entities (Slack's control characters); the rest stays.
std::string escape_mrkdwn(std::string_view text);

// Cuts `text` to at most `limit` bytes without splitting a UTF-8 sequence, ending with "…"
// when it had to cut.
std::string fit_text(std::string_view text, std::size_t limit);

}  // namespace okr::bot::slack
