#include "bot/slack/edit_modal.hpp"

#include <algorithm>

#include "bot/slack/interactive.hpp"
#include "dialogs/drafter.hpp"
#include "dialogs/linter.hpp"

namespace okr::bot::slack {
namespace {

using nlohmann::json;

constexpr std::string_view kObjectiveBlock = "objective";
constexpr std::string_view kInputAction = "text";
constexpr std::size_t kFieldLimit = 3000;  // plain_text_input max_length

std::string key_result_block(std::size_t index) {
  return "kr_" + std::to_string(index);
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos)
    return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

json plain(std::string text) {
  return {{"type", "plain_text"}, {"text", std::move(text)}};
}

json input(const std::string& block_id, std::string label, const std::string& value, bool optional,
           bool multiline) {
  json element = {{"type", "plain_text_input"},
                  {"action_id", std::string(kInputAction)},
                  {"multiline", multiline},
                  {"max_length", kFieldLimit}};
  if (!value.empty())
    element["initial_value"] = value.substr(0, kFieldLimit);
  return {{"type", "input"},
          {"block_id", block_id},
          {"optional", optional},
          {"label", plain(std::move(label))},
          {"element", std::move(element)}};
}

std::string field(const ViewSubmission& submission, const std::string& block_id) {
  const auto block = submission.values.find(block_id);
  if (block == submission.values.end())
    return {};
  const auto value = block->second.find(std::string(kInputAction));
  return value == block->second.end() ? std::string() : trimmed(value->second);
}

}  // namespace

json edit_modal_view(const EditedOkr& current) {
  json blocks = json::array();
  blocks.push_back({{"type", "section"},
                    {"text",
                     {{"type", "mrkdwn"},
                      {"text", "Change what you like. Leave a key result empty to drop it."}}}});
  blocks.push_back(input(std::string(kObjectiveBlock), "What you want (the objective)",
                         current.objective, false, true));
  const std::size_t fields = std::min(current.key_results.size() + 1, kMaxKeyResultFields);
  for (std::size_t i = 0; i < fields; ++i) {
    const std::string value = i < current.key_results.size() ? current.key_results[i] : "";
    blocks.push_back(
        input(key_result_block(i), "Key result " + std::to_string(i + 1), value, i > 0, false));
  }
  return {{"type", "modal"},
          {"callback_id", std::string(kEditModalCallback)},
          {"title", plain("Edit your OKR")},
          {"submit", plain("Save changes")},
          {"close", plain("Cancel")},
          {"blocks", std::move(blocks)}};
}

EditedOkr edited_okr_of(const ViewSubmission& submission) {
  EditedOkr edited;
  edited.objective = field(submission, std::string(kObjectiveBlock));
  for (std::size_t i = 0; i < kMaxKeyResultFields; ++i) {
    auto text = field(submission, key_result_block(i));
    if (!text.empty()) {
      edited.key_results.push_back(std::move(text));
      edited.key_result_blocks.push_back(key_result_block(i));
    }
  }
  return edited;
}

std::map<std::string, std::string> edit_errors(const EditedOkr& edited) {
  std::map<std::string, std::string> errors;
  if (edited.objective.empty())
    errors[std::string(kObjectiveBlock)] = "A few words are enough: what do you want to achieve?";
  if (edited.key_results.empty()) {
    errors[key_result_block(0)] = "How will you know you got there? One key result at least.";
    return errors;
  }
  std::vector<dialogs::KeyResultDraft> drafts;
  for (const auto& text : edited.key_results)
    drafts.push_back(dialogs::parse_key_result(text));
  // Only the check that does not depend on the team's program: the rest stays coaching in the
  // dialog, where the person can keep their wording.
  for (const auto& finding : dialogs::lint_okr(edited.objective, drafts, {})) {
    if (finding.rule != dialogs::LintRule::no_number || finding.key_result_index < 0)
      continue;
    const auto index = static_cast<std::size_t>(finding.key_result_index);
    errors.emplace(index < edited.key_result_blocks.size() ? edited.key_result_blocks[index]
                                                           : key_result_block(index),
                   finding.question);
  }
  return errors;
}

std::string edited_okr_value(const EditedOkr& edited) {
  return json{{"objective", edited.objective}, {"key_results", edited.key_results}}.dump();
}

std::optional<EditedOkr> edited_okr_from(std::string_view value) {
  const json parsed = json::parse(value, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("objective") || !parsed["objective"].is_string())
    return std::nullopt;
  EditedOkr edited;
  edited.objective = parsed["objective"].get<std::string>();
  for (const auto& kr : parsed.value("key_results", json::array())) {
    if (kr.is_string())
      edited.key_results.push_back(kr.get<std::string>());
  }
  return edited;
}

}  // namespace okr::bot::slack
