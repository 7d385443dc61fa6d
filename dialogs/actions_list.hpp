#pragma once
// Every action step, grouped by the dialog that uses it (one .cpp per dialog).
#include "dialogs/actions.hpp"

namespace okr::dialogs::actions {

// draft (actions_draft.cpp)
void split_signals(ActionTurn& turn);      // signals -> key_result_answers [{text, needs_today}]
void add_signal(ActionTurn& turn);         // more_signals -> signals (or signals_done), re-split
void draft_objective(ActionTurn& turn);    // want, why, parent_link -> draft.{objective,why,parent}
void draft_key_results(ActionTurn& turn);  // key_result_answers (+today) -> draft.key_results
void lint_key_results(ActionTurn& turn);   // draft -> followups, has_followups (max two rounds)
void apply_followups(ActionTurn& turn);    // followups[].answer -> draft
void save_objective(ActionTurn& turn);     // draft + answers -> SaveObjective

// checkin and reflect (actions_checkin.cpp, actions_reflect.cpp)
void load_active_krs(ActionTurn& turn);    // context -> krs [{id, text, kind, last_*...}], has_krs
void summarize_checkin(ActionTurn& turn);  // krs answers -> progress table
void save_checkins(ActionTurn& turn);      // -> SaveCheckIns
void summarize_reflection(ActionTurn& turn);
void save_reflection(ActionTurn& turn);  // -> SaveReflection

// setup (actions_setup.cpp)
void load_team_settings(ActionTurn& turn);  // context settings -> settings.*
void save_team_settings(ActionTurn& turn);  // settings.* -> SaveTeamSettings

}  // namespace okr::dialogs::actions
