#include "dialogs/message_json.hpp"

#include "dialogs/key_result_view.hpp"

namespace okr::dialogs {

namespace {
using nlohmann::json;

template <typename T>
void put_optional(json& out, const char* key, const std::optional<T>& value) {
  if (value)
    out[key] = *value;
}
template <typename T>
std::optional<T> get_optional(const json& in, const char* key) {
  if (!in.contains(key) || in.at(key).is_null())
    return std::nullopt;
  return in.at(key).get<T>();
}

json choices_json(const std::vector<Choice>& choices) {
  json out = json::array();
  for (const auto& c : choices) {
    out.push_back({{"id", c.id}, {"label", c.label}, {"number", c.number}, {"words", c.words}});
  }
  return out;
}
std::vector<Choice> choices_from(const json& in) {
  std::vector<Choice> out;
  for (const auto& c : in) {
    out.push_back({c.value("id", ""), c.value("label", ""), c.value("number", 0),
                   c.value("words", std::vector<std::string>{})});
  }
  return out;
}
}  // namespace

void to_json(json& out, const Inbound& message) {
  out = {{"platform", message.platform},
         {"workspace", message.workspace},
         {"user", message.user},
         {"conversation", message.conversation},
         {"text", message.text}};
  if (message.action)
    out["action"] = {{"id", message.action->id}, {"value", message.action->value}};
}

void from_json(const json& in, Inbound& message) {
  message.platform = in.value("platform", "");
  message.workspace = in.value("workspace", "");
  message.user = in.value("user", "");
  message.conversation = in.value("conversation", "");
  message.text = in.value("text", "");
  message.action.reset();
  if (in.contains("action")) {
    message.action = Action{in["action"].value("id", ""), in["action"].value("value", "")};
  }
}

void to_json(json& out, const Outbound& message) {
  out = {{"text", message.text}};
  if (message.summary) {
    json items = json::array();
    for (const auto& item : message.summary->items) {
      items.push_back({{"label", item.label}, {"text", item.text}});
    }
    out["summary"] = {{"heading", message.summary->heading}, {"items", std::move(items)}};
  }
  if (message.okr) {
    json krs = json::array();
    for (const auto& kr : message.okr->key_results)
      krs.push_back(key_result_json(kr));
    out["okr"] = {{"objective", message.okr->objective},
                  {"why", message.okr->why},
                  {"parent", message.okr->parent},
                  {"key_results", std::move(krs)}};
  }
  if (message.progress) {
    json rows = json::array();
    for (const auto& row : message.progress->rows) {
      json r = {{"objective", row.objective},
                {"key_result", row.key_result},
                {"value", row.value},
                {"progress", row.progress},
                {"at_risk", row.at_risk}};
      put_optional(r, "change", row.change);
      put_optional(r, "confidence", row.confidence);
      rows.push_back(std::move(r));
    }
    out["progress"] = {{"title", message.progress->title}, {"rows", std::move(rows)}};
  }
  if (message.question) {
    out["question"] = {{"id", message.question->id},
                       {"choices", choices_json(message.question->choices)}};
  }
  if (message.scale) {
    out["scale"] = {{"id", message.scale->id},
                    {"min", message.scale->min},
                    {"max", message.scale->max},
                    {"low_label", message.scale->low_label},
                    {"high_label", message.scale->high_label}};
  }
}

void from_json(const json& in, Outbound& message) {
  message = Outbound{};
  message.text = in.value("text", "");
  if (in.contains("summary")) {
    SummaryCard card{in["summary"].value("heading", ""), {}};
    for (const auto& item : in["summary"].value("items", json::array())) {
      card.items.push_back({item.value("label", ""), item.value("text", "")});
    }
    message.summary = std::move(card);
  }
  if (in.contains("okr")) {
    const auto& o = in["okr"];
    OkrCard card{o.value("objective", ""), o.value("why", ""), o.value("parent", ""), {}};
    for (const auto& kr : o.value("key_results", json::array())) {
      card.key_results.push_back(key_result_from_json(kr));
    }
    message.okr = std::move(card);
  }
  if (in.contains("progress")) {
    ProgressTable table{in["progress"].value("title", ""), {}};
    for (const auto& r : in["progress"].value("rows", json::array())) {
      ProgressRow row;
      row.objective = r.value("objective", "");
      row.key_result = r.value("key_result", "");
      row.value = r.value("value", "");
      row.progress = r.value("progress", 0.0);
      row.at_risk = r.value("at_risk", false);
      row.change = get_optional<double>(r, "change");
      row.confidence = get_optional<int>(r, "confidence");
      table.rows.push_back(std::move(row));
    }
    message.progress = std::move(table);
  }
  if (in.contains("question")) {
    message.question = Question{in["question"].value("id", ""),
                                choices_from(in["question"].value("choices", json::array()))};
  }
  if (in.contains("scale")) {
    const auto& s = in["scale"];
    message.scale = Scale{s.value("id", ""), s.value("min", 1), s.value("max", 10),
                          s.value("low_label", ""), s.value("high_label", "")};
  }
}

}  // namespace okr::dialogs
