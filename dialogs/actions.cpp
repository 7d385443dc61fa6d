#include "dialogs/actions.hpp"

#include <map>

#include "dialogs/actions_list.hpp"

namespace okr::dialogs {

namespace {
const std::map<std::string, ActionStep, std::less<>>& registry() {
  static const std::map<std::string, ActionStep, std::less<>> steps = {
      {"split_signals", actions::split_signals},
      {"add_signal", actions::add_signal},
      {"draft_objective", actions::draft_objective},
      {"draft_key_results", actions::draft_key_results},
      {"lint_key_results", actions::lint_key_results},
      {"apply_followups", actions::apply_followups},
      {"save_objective", actions::save_objective},
      {"load_active_krs", actions::load_active_krs},
      {"summarize_checkin", actions::summarize_checkin},
      {"save_checkins", actions::save_checkins},
      {"summarize_reflection", actions::summarize_reflection},
      {"save_reflection", actions::save_reflection},
      {"load_team_settings", actions::load_team_settings},
      {"save_team_settings", actions::save_team_settings},
  };
  return steps;
}
}  // namespace

ActionStep find_action(std::string_view name) {
  auto it = registry().find(name);
  return it == registry().end() ? nullptr : it->second;
}

const std::vector<std::string>& action_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& [name, step] : registry())
      out.push_back(name);
    return out;
  }();
  return names;
}

}  // namespace okr::dialogs
