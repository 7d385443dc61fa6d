// Actions of the `setup` dialog: the team's program parameters, offered with their current
// values (the defaults on a new team), and SaveTeamSettings.
#include <algorithm>

#include "dialogs/actions_list.hpp"
#include "dialogs/context.hpp"
#include "dialogs/program_settings_json.hpp"
#include "dialogs/variables.hpp"

namespace okr::dialogs::actions {

namespace {
using nlohmann::json;

// "none", "no", "-": the person means to leave it empty.
std::string optional_text(const std::string& answer) {
  const std::string a = normalise(answer);
  if (a == "none" || a == "no" || a == "-" || a == "n/a" || a == "nothing")
    return {};
  return answer;
}
}  // namespace

void load_team_settings(ActionTurn& turn) {
  const ProgramSettings& s = turn.context.settings;
  json shown = program_settings_json(s);
  // Offered as answers the person could type back, so "ok" keeps them.
  shown["parent_objective"] = s.parent_objective.empty() ? "none" : s.parent_objective;
  shown["publish_to"] = s.publish_to.empty() ? "home" : s.publish_to;
  turn.variables["settings"] = std::move(shown);
  turn.variables["team_name"] = turn.context.team ? turn.context.team->name : "";
}

void save_team_settings(ActionTurn& turn) {
  // Checked again at the moment of saving, not only when setup began: the role may have been
  // taken away in between, and a customised dialog may call this action without the check.
  if (!may_set_up_team(turn.context))
    return;
  ProgramSettings s = program_settings_from_json(
      turn.variables.value("settings", json::object()), turn.context.settings);
  // A minimum above the maximum can only be a slip; keep the pair usable.
  if (s.min_key_results > s.max_key_results)
    std::swap(s.min_key_results, s.max_key_results);
  s.parent_objective = optional_text(s.parent_objective);
  if (optional_text(s.publish_to).empty())
    s.publish_to = "home";
  turn.effects.push_back(SaveTeamSettings{turn.context.team ? turn.context.team->id : 0, s});
}

}  // namespace okr::dialogs::actions
