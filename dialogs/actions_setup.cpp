// Actions of the `setup` dialog: the team's program parameters, offered with their current
// values (the defaults on a new team), and SaveTeamSettings.
#include <algorithm>

#include "dialogs/actions_list.hpp"
#include "dialogs/variables.hpp"

namespace okr::dialogs::actions {

namespace {
using nlohmann::json;

const char* level_name(OkrLevel level) {
  switch (level) {
    case OkrLevel::company:
      return "company";
    case OkrLevel::team:
      return "team";
    case OkrLevel::individual:
      break;
  }
  return "individual";
}

template <typename T>
T get_or(const json& settings, const char* key, T fallback) {
  if (!settings.contains(key))
    return fallback;
  try {
    return settings.at(key).get<T>();
  } catch (const json::exception&) {
    return fallback;
  }
}

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
  turn.variables["settings"] = {
      {"level", level_name(s.level)},
      {"max_objectives", s.max_objectives},
      {"min_key_results", s.min_key_results},
      {"max_key_results", s.max_key_results},
      {"allow_baseline", s.allow_baseline},
      {"allow_milestone", s.allow_milestone},
      {"cycle_months", s.cycle_months},
      {"checkin_weekday", s.checkin_weekday},
      {"checkin_time", s.checkin_time},
      {"digest_weekday", s.digest_weekday},
      {"digest_time", s.digest_time},
      {"time_zone", s.time_zone},
      {"feeds_performance_reviews", s.feeds_performance_reviews},
      {"parent_objective", s.parent_objective.empty() ? "none" : s.parent_objective},
      {"publish_to", s.publish_to.empty() ? "home" : s.publish_to},
  };
  turn.variables["team_name"] = turn.context.team ? turn.context.team->name : "";
}

void save_team_settings(ActionTurn& turn) {
  const json& v = turn.variables.value("settings", json::object());
  ProgramSettings s = turn.context.settings;
  const std::string level = get_or<std::string>(v, "level", level_name(s.level));
  s.level = level == "company" ? OkrLevel::company
            : level == "team"  ? OkrLevel::team
                               : OkrLevel::individual;
  s.max_objectives = static_cast<int>(get_or<double>(v, "max_objectives", s.max_objectives));
  s.min_key_results = static_cast<int>(get_or<double>(v, "min_key_results", s.min_key_results));
  s.max_key_results = static_cast<int>(get_or<double>(v, "max_key_results", s.max_key_results));
  // A minimum above the maximum can only be a slip; keep the pair usable.
  if (s.min_key_results > s.max_key_results)
    std::swap(s.min_key_results, s.max_key_results);
  s.allow_baseline = get_or<bool>(v, "allow_baseline", s.allow_baseline);
  s.allow_milestone = get_or<bool>(v, "allow_milestone", s.allow_milestone);
  s.cycle_months = static_cast<int>(get_or<double>(v, "cycle_months", s.cycle_months));
  s.checkin_weekday = get_or<std::string>(v, "checkin_weekday", s.checkin_weekday);
  s.checkin_time = get_or<std::string>(v, "checkin_time", s.checkin_time);
  s.digest_weekday = get_or<std::string>(v, "digest_weekday", s.digest_weekday);
  s.digest_time = get_or<std::string>(v, "digest_time", s.digest_time);
  s.time_zone = get_or<std::string>(v, "time_zone", s.time_zone);
  s.feeds_performance_reviews =
      get_or<bool>(v, "feeds_performance_reviews", s.feeds_performance_reviews);
  s.parent_objective =
      optional_text(get_or<std::string>(v, "parent_objective", s.parent_objective));
  std::string publish = get_or<std::string>(v, "publish_to", s.publish_to);
  s.publish_to = optional_text(publish).empty() ? "home" : publish;
  turn.effects.push_back(SaveTeamSettings{turn.context.team ? turn.context.team->id : 0, s});
}

}  // namespace okr::dialogs::actions
