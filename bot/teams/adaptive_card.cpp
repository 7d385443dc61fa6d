#include "bot/teams/adaptive_card.hpp"

#include <cmath>
#include <sstream>

#include "bot/teams/activity.hpp"

namespace okr::bot::teams {
namespace {

using nlohmann::json;

json text_block(const std::string& text, bool bold = false, bool subtle = false) {
  json block = {{"type", "TextBlock"}, {"text", text}, {"wrap", true}};
  if (bold)
    block["weight"] = "Bolder";
  if (subtle)
    block["isSubtle"] = true;
  return block;
}

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string key_result_line(const dialogs::KeyResult& kr) {
  std::string line = "- " + kr.text;
  if (kr.target) {
    line += " (target " + number_text(*kr.target) + (kr.unit.empty() ? "" : " " + kr.unit);
    if (kr.deadline)
      line += " by " + *kr.deadline;
    line += ")";
  }
  return line;
}

std::vector<json> okr_blocks(const dialogs::OkrCard& okr) {
  std::vector<json> blocks;
  blocks.push_back(json{{"type", "TextBlock"},
                        {"text", okr.objective},
                        {"wrap", true},
                        {"weight", "Bolder"},
                        {"size", "Medium"},
                        {"separator", true}});
  if (!okr.why.empty())
    blocks.push_back(text_block("Why: " + okr.why, false, true));
  if (!okr.parent.empty())
    blocks.push_back(text_block("Supports: " + okr.parent, false, true));
  std::string lines;
  for (const auto& kr : okr.key_results)
    lines += (lines.empty() ? "" : "\n") + key_result_line(kr);
  if (!lines.empty())
    blocks.push_back(text_block(lines));
  return blocks;
}

std::vector<json> summary_blocks(const dialogs::SummaryCard& summary) {
  std::vector<json> blocks;
  if (!summary.heading.empty())
    blocks.push_back(text_block(summary.heading, true));
  json facts = json::array();
  for (const auto& item : summary.items)
    facts.push_back({{"title", item.label}, {"value", item.text}});
  if (!facts.empty())
    blocks.push_back({{"type", "FactSet"}, {"facts", facts}});
  return blocks;
}

json column(const std::string& text, const std::string& width, bool bold = false) {
  json block = text_block(text, bold);
  return {{"type", "Column"}, {"width", width}, {"items", json::array({block})}};
}

json progress_row(const std::string& kr, const std::string& value, const std::string& change,
                  const std::string& confidence, bool header) {
  return {{"type", "ColumnSet"},
          {"separator", header},
          {"columns", json::array({column(kr, "stretch", header), column(value, "auto", header),
                                   column(change, "auto", header),
                                   column(confidence, "auto", header)})}};
}

std::vector<json> progress_blocks(const dialogs::ProgressTable& table) {
  std::vector<json> blocks;
  if (!table.title.empty())
    blocks.push_back(text_block(table.title, true));
  blocks.push_back(progress_row("Key result", "Progress", "Change", "Confidence", true));
  std::string objective;
  for (const auto& row : table.rows) {
    if (row.objective != objective && !row.objective.empty()) {
      objective = row.objective;
      blocks.push_back(text_block(objective, true, true));
    }
    const auto percent = static_cast<long>(std::lround(row.progress * 100));
    std::string value = row.value.empty() ? std::to_string(percent) + " %"
                                          : row.value + " (" + std::to_string(percent) + " %)";
    std::string change;
    if (row.change) {
      const auto points = static_cast<long>(std::lround(*row.change * 100));
      change = (points >= 0 ? "+" : "") + std::to_string(points) + " pts";
    }
    std::string confidence = row.confidence ? std::to_string(*row.confidence) + "/10" : "";
    blocks.push_back(progress_row((row.at_risk ? "⚠ " : "") + row.key_result, value, change,
                                  confidence, false));
  }
  return blocks;
}

json submit(const std::string& title, json data) {
  return {{"type", "Action.Submit"}, {"title", title}, {"data", std::move(data)}};
}

// What a person without buttons can type: the numbered choices.
std::string typed_fallback(const dialogs::Outbound& message) {
  std::string text = message.text;
  if (message.question) {
    for (const auto& choice : message.question->choices)
      text += "\n" + std::to_string(choice.number) + ". " + choice.label;
  }
  if (message.scale)
    text += "\n(" + std::to_string(message.scale->min) + "-" + std::to_string(message.scale->max) +
            ")";
  return text;
}

json card(std::vector<json> body, json actions, const std::string& fallback) {
  json content = {{"type", "AdaptiveCard"},
                  {"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
                  {"version", "1.5"},
                  {"fallbackText", fallback},
                  {"body", std::move(body)}};
  if (!actions.empty())
    content["actions"] = std::move(actions);
  return content;
}

json activity_with(json content, const std::string& summary) {
  return {{"type", "message"},
          {"summary", summary},
          {"attachments", json::array({{{"contentType", "application/vnd.microsoft.card.adaptive"},
                                        {"content", std::move(content)}}})}};
}

std::string first_line(const std::string& text) {
  auto line = text.substr(0, text.find('\n'));
  return line.size() > 200 ? line.substr(0, 200) : line;
}

}  // namespace

std::vector<json> render_activities(const dialogs::Outbound& message, std::size_t max_bytes) {
  const bool rich = message.question || message.scale || message.okr || message.summary ||
                    message.progress;
  if (!rich)
    return {json{{"type", "message"}, {"textFormat", "plain"}, {"text", message.text}}};

  std::vector<json> body;
  if (!message.text.empty())
    body.push_back(text_block(message.text));
  if (message.summary) {
    for (auto& block : summary_blocks(*message.summary))
      body.push_back(std::move(block));
  }
  if (message.okr) {
    for (auto& block : okr_blocks(*message.okr))
      body.push_back(std::move(block));
  }
  if (message.progress) {
    for (auto& block : progress_blocks(*message.progress))
      body.push_back(std::move(block));
  }
  json actions = json::array();
  if (message.scale) {
    const auto& scale = *message.scale;
    json choices = json::array();
    for (int n = scale.min; n <= scale.max; ++n) {
      std::string title = std::to_string(n);
      if (n == scale.min && !scale.low_label.empty())
        title += " – " + scale.low_label;
      if (n == scale.max && !scale.high_label.empty())
        title += " – " + scale.high_label;
      choices.push_back({{"title", title}, {"value", std::to_string(n)}});
    }
    body.push_back({{"type", "Input.ChoiceSet"},
                    {"id", "okr_scale"},
                    {"style", "compact"},
                    {"isRequired", true},
                    {"errorMessage", "Pick a number"},
                    {"choices", choices}});
    actions.push_back(
        submit("Send", {{kActionKey, scale.id}, {kInputKey, "okr_scale"}}));
  }
  if (message.question) {
    for (const auto& choice : message.question->choices) {
      actions.push_back(submit(choice.label, {{kActionKey, message.question->id},
                                              {kValueKey, choice.id},
                                              {kLabelKey, choice.label}}));
    }
  }

  const auto fallback = typed_fallback(message);
  const auto summary = first_line(message.text);
  json whole = activity_with(card(body, actions, fallback), summary);
  if (whole.dump().size() <= max_bytes)
    return {whole};

  // Too big for one message: the body goes out in parts, the buttons with the last part.
  std::vector<json> parts;
  std::vector<json> current;
  std::size_t size = 0;
  const std::size_t budget = max_bytes > 4096 ? max_bytes - 4096 - actions.dump().size() : max_bytes / 2;
  for (auto& block : body) {
    const auto block_size = block.dump().size();
    if (!current.empty() && size + block_size > budget) {
      parts.push_back(activity_with(card(std::move(current), json::array(), fallback), summary));
      current.clear();
      size = 0;
    }
    size += block_size;
    current.push_back(std::move(block));
  }
  parts.push_back(activity_with(card(std::move(current), actions, fallback), summary));
  return parts;
}

json answered_card_activity(const std::string& chosen_label) {
  std::vector<json> body = {text_block("✓ " + (chosen_label.empty() ? "Answered" : chosen_label),
                                       false, true)};
  return activity_with(card(body, json::array(), chosen_label), chosen_label);
}

}  // namespace okr::bot::teams
