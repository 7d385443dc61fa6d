// Actions of the `checkin` dialog (load_active_krs is shared with `reflect`): the person's key
// results, where each stands now, and the SaveCheckIns effect.
#include "dialogs/actions_list.hpp"
#include "dialogs/key_result_view.hpp"
#include "dialogs/variables.hpp"

namespace okr::dialogs::actions {

namespace {
using nlohmann::json;

// The value answered for one key result: a number, or done (1) / not yet (0) for a milestone.
std::optional<double> answered_value(const json& kr) {
  if (kr.contains("done") && kr["done"].is_boolean())
    return kr["done"].get<bool>() ? 1.0 : 0.0;
  if (kr.contains("value") && kr["value"].is_number())
    return kr["value"].get<double>();
  return std::nullopt;
}
}  // namespace

void load_active_krs(ActionTurn& turn) {
  json krs = json::array();
  for (const auto& objective : turn.context.objectives) {
    for (const auto& kr : objective.key_results) {
      json k = key_result_json(kr);
      k["objective"] = objective.text;
      auto last = turn.context.latest_checkins.find(kr.id);
      std::string last_text;
      if (last != turn.context.latest_checkins.end()) {
        k["last_value"] = last->second.value;
        k["last_confidence"] = last->second.confidence;
        last_text = "Last time: " + value_text(kr, last->second.value) + ", confidence " +
                    std::to_string(last->second.confidence) + "/10.";
      }
      k["last_text"] = last_text;
      krs.push_back(std::move(k));
    }
  }
  turn.variables["has_krs"] = !krs.empty();
  turn.variables["krs"] = std::move(krs);
}

void summarize_checkin(ActionTurn& turn) {
  json rows = json::array();
  for (const auto& k : turn.variables.value("krs", json::array())) {
    const KeyResult kr = key_result_from_json(k);
    auto value = answered_value(k);
    if (!value)
      continue;
    std::optional<CheckIn> last;
    if (k.contains("last_value")) {
      last = CheckIn{};
      last->value = k["last_value"].get<double>();
      last->confidence = k.value("last_confidence", 5);
    }
    const int confidence = k.value("confidence", 5);
    rows.push_back(
        progress_row(kr, k.value("objective", ""), *value, confidence, last, turn.context));
  }
  turn.variables["progress"] = {{"title", "Where things stand"}, {"rows", std::move(rows)}};
}

void save_checkins(ActionTurn& turn) {
  SaveCheckIns save;
  for (const auto& k : turn.variables.value("krs", json::array())) {
    auto value = answered_value(k);
    if (!value)
      continue;
    CheckIn c;
    c.key_result_id = k.value("id", Id{0});
    c.person_id = turn.context.person.id;
    c.value = *value;
    c.confidence = k.value("confidence", 5);
    c.helped = text_at(turn.variables, "helped");
    c.blockers = text_at(turn.variables, "blockers");
    c.next_focus = text_at(turn.variables, "focus");
    c.at = turn.context.now;
    save.check_ins.push_back(std::move(c));
  }
  turn.effects.push_back(std::move(save));
}

}  // namespace okr::dialogs::actions
