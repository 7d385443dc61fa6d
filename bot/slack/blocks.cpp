#include "bot/slack/blocks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "bot/slack/action_ids.hpp"
#include "dialogs/render_text.hpp"

namespace okr::bot::slack {
namespace {

using nlohmann::json;

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // "…"
// Up to this many choices show as buttons in one row; more become a select.
constexpr std::size_t kMaxScaleButtons = 10;
constexpr int kProgressBarCells = 10;

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// The largest cut at or below `limit` that does not split a UTF-8 sequence.
std::size_t utf8_cut(std::string_view text, std::size_t limit) {
  if (text.size() <= limit)
    return text.size();
  std::size_t cut = limit;
  while (cut > 0 && is_continuation(text[cut]))
    --cut;
  return cut;
}

// An escaped text must not be cut inside "&amp;", "&lt;" or "&gt;".
std::size_t entity_safe(std::string_view text, std::size_t cut) {
  const auto amp = text.rfind('&', cut == 0 ? 0 : cut - 1);
  if (amp != std::string_view::npos && cut - amp < 5 && text.find(';', amp) >= cut)
    return amp;
  return cut;
}

// Splits escaped mrkdwn into pieces of at most `limit` bytes, preferring line breaks, then
// spaces, so a long answer stays readable across sections.
std::vector<std::string> split_text(std::string_view text, std::size_t limit) {
  std::vector<std::string> pieces;
  while (text.size() > limit) {
    std::size_t cut = entity_safe(text, utf8_cut(text, limit));
    const auto line = text.rfind('\n', cut);
    const auto space = text.rfind(' ', cut);
    if (line != std::string_view::npos && line > limit / 2) {
      cut = line;
    } else if (space != std::string_view::npos && space > limit / 2) {
      cut = space;
    }
    if (cut == 0)
      cut = utf8_cut(text, limit);  // a pathological run; never loop forever
    pieces.emplace_back(text.substr(0, cut));
    text.remove_prefix(cut);
    while (!text.empty() && (text.front() == '\n' || text.front() == ' '))
      text.remove_prefix(1);
  }
  if (!text.empty())
    pieces.emplace_back(text);
  return pieces;
}

json mrkdwn(std::string text) {
  return {{"type", "mrkdwn"}, {"text", std::move(text)}};
}
json plain(std::string text) {
  return {{"type", "plain_text"}, {"text", std::move(text)}, {"emoji", true}};
}

// Section blocks for already-escaped mrkdwn, split to fit.
void add_sections(std::vector<json>& blocks, std::string_view escaped) {
  for (auto& piece : split_text(escaped, kMaxSectionText)) {
    if (piece.find_first_not_of(" \n") == std::string::npos)
      continue;  // Slack rejects blank text
    blocks.push_back({{"type", "section"}, {"text", mrkdwn(std::move(piece))}});
  }
}

void add_header(std::vector<json>& blocks, std::string_view text) {
  if (text.find_first_not_of(" \n") == std::string_view::npos)
    return;
  blocks.push_back({{"type", "header"}, {"text", plain(fit_text(text, kMaxHeaderText))}});
}

void add_context(std::vector<json>& blocks, std::string_view escaped) {
  if (escaped.empty())
    return;
  blocks.push_back({{"type", "context"},
                    {"elements", json::array({mrkdwn(fit_text(escaped, kMaxSectionText))})}});
}

std::string number_text(double value) {
  char buffer[32];
  if (std::floor(value) == value && std::fabs(value) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
  }
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  std::string text = buffer;
  while (!text.empty() && text.back() == '0')
    text.pop_back();
  return text;
}

std::string with_unit(double value, const std::string& unit) {
  if (unit.empty())
    return number_text(value);
  if (unit == "%")
    return number_text(value) + "%";
  return number_text(value) + " " + unit;
}

void add_summary(std::vector<json>& blocks, const dialogs::SummaryCard& card) {
  add_header(blocks, card.heading);
  for (const auto& item : card.items) {
    add_sections(blocks, "*" + escape_mrkdwn(item.label) + "*\n" + escape_mrkdwn(item.text));
  }
}

std::string key_result_detail(const dialogs::KeyResult& kr) {
  std::string detail;
  if (kr.baseline && kr.target) {
    detail = with_unit(*kr.baseline, kr.unit) + " \xE2\x86\x92 " + with_unit(*kr.target, kr.unit);
  } else if (kr.target) {
    detail = "target " + with_unit(*kr.target, kr.unit);
  } else if (kr.baseline) {
    detail = "today " + with_unit(*kr.baseline, kr.unit);
  }
  if (kr.deadline)
    detail += (detail.empty() ? "by " : ", by ") + *kr.deadline;
  return detail;
}

void add_okr(std::vector<json>& blocks, const dialogs::OkrCard& card) {
  add_sections(blocks, "*Objective:* " + escape_mrkdwn(card.objective));
  if (!card.why.empty())
    add_context(blocks, "Why now: " + escape_mrkdwn(card.why));
  if (!card.parent.empty())
    add_context(blocks, "Connects to: " + escape_mrkdwn(card.parent));
  int number = 1;
  for (const auto& kr : card.key_results) {
    std::string line = "*KR" + std::to_string(number++) + "* " + escape_mrkdwn(kr.text);
    if (const auto detail = key_result_detail(kr); !detail.empty()) {
      line += "\n_" + escape_mrkdwn(detail) + "_";
    }
    add_sections(blocks, line);
  }
}

std::string progress_bar(double progress) {
  const double clamped = std::clamp(std::isfinite(progress) ? progress : 0.0, 0.0, 1.0);
  const int filled = static_cast<int>(std::lround(clamped * kProgressBarCells));
  std::string bar = "`";
  for (int i = 0; i < kProgressBarCells; ++i)
    bar += i < filled ? "\xE2\x96\x88" : "\xE2\x96\x91";
  return bar + "` " + number_text(std::round(clamped * 100)) + "%";
}

void add_progress(std::vector<json>& blocks, const dialogs::ProgressTable& table) {
  add_header(blocks, table.title);
  if (table.rows.empty())
    add_sections(blocks, "_Nothing yet._");
  std::string objective;
  for (const auto& row : table.rows) {
    if (!row.objective.empty() && row.objective != objective) {
      objective = row.objective;
      add_sections(blocks, "*" + escape_mrkdwn(objective) + "*");
    }
    std::string line = escape_mrkdwn(row.key_result);
    if (!row.value.empty()) {
      line += "\n" + progress_bar(row.progress) + " \xC2\xB7 " + escape_mrkdwn(row.value);
      if (row.change) {
        double points = std::round(*row.change * 100);
        if (points == 0)
          points = 0;
        line += std::string(" (") + (points >= 0 ? "+" : "") + number_text(points) + " pts)";
      }
      if (row.confidence)
        line += " \xC2\xB7 confidence " + std::to_string(*row.confidence) + "/10";
      if (row.at_risk)
        line += " \xC2\xB7 :warning: at risk";
    }
    add_sections(blocks, line);
  }
}

json button(std::string label, std::string action_id, std::string value) {
  json element = {{"type", "button"},
                  {"text", plain(fit_text(label.empty() ? value : label, kMaxButtonText))},
                  {"action_id", std::move(action_id)},
                  {"value", std::move(value)}};
  return element;
}

// Buttons in rows of at most 25 (Slack's actions block limit).
void add_button_rows(std::vector<json>& blocks, std::vector<json> buttons) {
  for (std::size_t start = 0; start < buttons.size(); start += kMaxActionElements) {
    const auto end = std::min(buttons.size(), start + kMaxActionElements);
    json row = {{"type", "actions"}, {"elements", json::array()}};
    for (std::size_t i = start; i < end; ++i)
      row["elements"].push_back(std::move(buttons[i]));
    blocks.push_back(std::move(row));
  }
}

void add_question(std::vector<json>& blocks, const dialogs::Question& question) {
  std::vector<json> buttons;
  std::size_t position = 0;
  for (const auto& choice : question.choices) {
    auto action_id = button_action_id(question.id, position++);
    // An id too long for Slack cannot round-trip; the text fallback still lets it be typed.
    if (action_id.size() > kMaxActionId || choice.id.empty() || choice.id.size() > 2000)
      continue;
    auto element = button(choice.label, std::move(action_id), choice.id);
    if (choice.id == "confirm")
      element["style"] = "primary";
    buttons.push_back(std::move(element));
  }
  add_button_rows(blocks, std::move(buttons));
}

void add_scale(std::vector<json>& blocks, const dialogs::Scale& scale) {
  if (scale.max < scale.min || select_action_id(scale.id).size() + 4 > kMaxActionId)
    return;
  const auto count = static_cast<std::size_t>(scale.max - scale.min) + 1;
  if (!scale.low_label.empty() && !scale.high_label.empty()) {
    add_context(blocks, std::to_string(scale.min) + " = " + escape_mrkdwn(scale.low_label) +
                            " \xC2\xB7 " + std::to_string(scale.max) + " = " +
                            escape_mrkdwn(scale.high_label));
  }
  if (count <= kMaxScaleButtons) {
    std::vector<json> buttons;
    for (int n = scale.min; n <= scale.max; ++n) {
      buttons.push_back(button(std::to_string(n),
                               button_action_id(scale.id, static_cast<std::size_t>(n - scale.min)),
                               std::to_string(n)));
    }
    add_button_rows(blocks, std::move(buttons));
    return;
  }
  // A wide scale becomes selects of at most 100 options, at most 25 per actions row.
  std::vector<json> selects;
  for (int first = scale.min; first <= scale.max; first += static_cast<int>(kMaxSelectOptions)) {
    const int last = std::min(scale.max, first + static_cast<int>(kMaxSelectOptions) - 1);
    json options = json::array();
    for (int n = first; n <= last; ++n) {
      options.push_back({{"text", plain(std::to_string(n))}, {"value", std::to_string(n)}});
    }
    selects.push_back(
        {{"type", "static_select"},
         {"action_id", select_action_id(scale.id) + std::to_string(selects.size())},
         {"placeholder", plain(std::to_string(first) + "\xE2\x80\x93" + std::to_string(last))},
         {"options", std::move(options)}});
    if (selects.size() == kMaxActionElements)
      break;
  }
  add_button_rows(blocks, std::move(selects));
}

}  // namespace

std::string escape_mrkdwn(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string fit_text(std::string_view text, std::size_t limit) {
  if (text.size() <= limit)
    return std::string(text);
  if (limit < kEllipsis.size())
    return std::string(text.substr(0, utf8_cut(text, limit)));
  std::string out(text.substr(0, utf8_cut(text, limit - kEllipsis.size())));
  out += kEllipsis;
  return out;
}

std::vector<SlackMessage> render_blocks(const dialogs::Outbound& message) {
  std::vector<json> blocks;
  add_sections(blocks, escape_mrkdwn(message.text));
  if (message.summary)
    add_summary(blocks, *message.summary);
  if (message.okr)
    add_okr(blocks, *message.okr);
  if (message.progress)
    add_progress(blocks, *message.progress);
  if (message.question)
    add_question(blocks, *message.question);
  if (message.scale)
    add_scale(blocks, *message.scale);

  const std::string fallback = dialogs::render_text(message);
  std::vector<SlackMessage> messages;
  if (blocks.empty()) {
    // Nothing to show in blocks; a text-only message is still valid when there is text.
    if (fallback.find_first_not_of(" \n") != std::string::npos) {
      messages.push_back(SlackMessage{fit_text(fallback, kMaxFallbackText), json::array()});
    }
    return messages;
  }
  for (std::size_t start = 0; start < blocks.size(); start += kMaxBlocksPerMessage) {
    const auto end = std::min(blocks.size(), start + kMaxBlocksPerMessage);
    SlackMessage part;
    // The first part carries the notification text; later parts only say they continue it.
    part.text = messages.empty() && fallback.find_first_not_of(" \n") != std::string::npos
                    ? fit_text(fallback, kMaxFallbackText)
                    : std::string("(continued)");
    for (std::size_t i = start; i < end; ++i)
      part.blocks.push_back(std::move(blocks[i]));
    messages.push_back(std::move(part));
  }
  return messages;
}

SlackMessage render_answered(const SlackMessage& original, std::string_view chosen_label) {
  SlackMessage answered{original.text, json::array()};
  bool replaced = false;
  for (const auto& block : original.blocks) {
    if (block.is_object() && block.value("type", "") == "actions") {
      // Every row of the question's buttons collapses into one line naming the choice.
      if (!replaced) {
        answered.blocks.push_back(
            {{"type", "context"},
             {"elements", json::array({mrkdwn(fit_text(
                              "\xE2\x9C\x94 " + escape_mrkdwn(chosen_label), kMaxSectionText))})}});
        replaced = true;
      }
      continue;
    }
    answered.blocks.push_back(block);
  }
  return answered;
}

}  // namespace okr::bot::slack
