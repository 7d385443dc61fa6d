#include "bot/slack/home_view.hpp"

#include "bot/slack/action_ids.hpp"
#include "bot/slack/blocks.hpp"

namespace okr::bot::slack {
namespace {

constexpr std::size_t kMaxHomeBlocks = 100;

nlohmann::json start_button(std::size_t position, const char* label, const char* dialog) {
  return {{"type", "button"},
          {"text", {{"type", "plain_text"}, {"text", label}}},
          {"action_id", button_action_id("start", position)},
          {"value", dialog}};
}

}  // namespace

nlohmann::json home_view(const dialogs::Outbound& okrs) {
  nlohmann::json blocks = nlohmann::json::array();
  blocks.push_back({{"type", "actions"},
                    {"elements", nlohmann::json::array({start_button(0, "Draft an OKR", "draft"),
                                                        start_button(1, "Check in", "checkin"),
                                                        start_button(2, "Reflect", "reflect")})}});
  // The Home tab holds up to 100 blocks; what does not fit stays reachable with "okrs" in the DM.
  for (const auto& part : render_blocks(okrs)) {
    for (const auto& block : part.blocks) {
      if (blocks.size() + 1 >= kMaxHomeBlocks)
        break;
      blocks.push_back(block);
    }
  }
  if (blocks.size() + 1 < kMaxHomeBlocks && blocks.size() > 1) {
    blocks.push_back(
        {{"type", "context"},
         {"elements", nlohmann::json::array(
                          {{{"type", "mrkdwn"}, {"text", "Write to me in Messages any time."}}})}});
  }
  return {{"type", "home"}, {"blocks", std::move(blocks)}};
}

}  // namespace okr::bot::slack
