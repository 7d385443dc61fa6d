#pragma once
// The neutral message model: what any channel (Slack, Teams, web, terminal) hands the engine and
// what the engine hands back. Channels translate their wire format to and from these values;
// nothing here knows a platform's field names.
#include <optional>
#include <string>
#include <vector>

#include "dialogs/domain.hpp"

namespace okr::dialogs {

// A button click or form submit. For a question, `id` is the Question::id (or Scale::id) it
// answers and `value` the chosen Choice::id (or the scale number as text).
struct Action {
  std::string id;
  std::string value;
};

struct Inbound {
  std::string platform;      // "terminal", "web", "slack", "teams"
  std::string workspace;     // Slack team id, Teams tenant id, "local"
  std::string user;          // the platform's user id
  std::string conversation;  // DM channel / conversation id
  std::string text;          // typed text; empty when `action` is set
  std::optional<Action> action;
};

// One option of a question. Every choice can be typed as well as clicked: its number, its label
// (any case) or one of its words.
struct Choice {
  std::string id;                  // sent back as Action::value
  std::string label;               // shown on the button
  int number = 0;                  // 1-based typed fallback
  std::vector<std::string> words;  // further typed fallbacks, e.g. "yes", "y"
};

struct Question {
  std::string id;  // the asking node; sent back as Action::id
  std::vector<Choice> choices;
};

struct Scale {
  std::string id;  // the asking node; sent back as Action::id
  int min = 1;
  int max = 10;
  std::string low_label;   // what `min` means, e.g. "not likely"
  std::string high_label;  // what `max` means, e.g. "certain"
};

// A draft or saved OKR shown as one block.
struct OkrCard {
  std::string objective;
  std::string why;
  std::string parent;  // the higher objective it connects to, empty when none
  std::vector<KeyResult> key_results;
};

// "Here is what I heard": labelled answers in the person's own words.
struct SummaryItem {
  std::string label;
  std::string text;
};
struct SummaryCard {
  std::string heading;
  std::vector<SummaryItem> items;
};

struct ProgressRow {
  std::string objective;
  std::string key_result;
  std::string value;              // current value as shown, e.g. "55 %" or "done"
  double progress = 0;            // 0.0-1.0
  std::optional<double> change;   // progress change since the previous check-in
  std::optional<int> confidence;  // 1-10
  bool at_risk = false;
};
struct ProgressTable {
  std::string title;
  std::vector<ProgressRow> rows;
};

// One message from the coach. `text` is always meaningful on its own (the plain-text channel
// and notifications rely on it); the optional parts add structure a richer channel can render.
struct Outbound {
  std::string text;
  std::optional<SummaryCard> summary;
  std::optional<OkrCard> okr;
  std::optional<ProgressTable> progress;
  std::optional<Question> question;  // choices to click or type
  std::optional<Scale> scale;
};

}  // namespace okr::dialogs
