// Actions of the `reflect` dialog: the person's self-scores and learnings, and SaveReflection.
#include "dialogs/actions_list.hpp"
#include "dialogs/variables.hpp"

namespace okr::dialogs::actions {

using nlohmann::json;

void summarize_reflection(ActionTurn& turn) {
  json rows = json::array();
  for (const auto& k : turn.variables.value("krs", json::array())) {
    if (!k.contains("score") || !k["score"].is_number())
      continue;
    const double score = k["score"].get<double>();
    rows.push_back({{"objective", k.value("objective", "")},
                    {"key_result", k.value("text", "")},
                    {"value", as_text(json(score))},
                    {"progress", score},
                    {"at_risk", false}});
  }
  turn.variables["scores"] = {{"title", "Your scores"}, {"rows", std::move(rows)}};
}

void save_reflection(ActionTurn& turn) {
  const json& vars = turn.variables;
  Reflection r;
  r.person_id = turn.context.person.id;
  r.cycle_id = turn.context.cycle ? turn.context.cycle->id : 0;
  for (const auto& k : vars.value("krs", json::array())) {
    if (k.contains("score") && k["score"].is_number()) {
      r.scores.emplace_back(k.value("id", Id{0}), k["score"].get<double>());
    }
  }
  r.learned = text_at(vars, "learned");
  r.went_well = text_at(vars, "went_well");
  r.do_differently = text_at(vars, "do_differently");
  r.stop_habit = text_at(vars, "stop_habit");
  r.carry_forward = text_at(vars, "carry_forward");
  const json* share = find_path(vars, "share_with_coach");
  r.shared_with_coach = share && share->is_boolean() && share->get<bool>();
  r.at = turn.context.now;
  turn.effects.push_back(SaveReflection{std::move(r)});
}

}  // namespace okr::dialogs::actions
