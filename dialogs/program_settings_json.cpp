#include "dialogs/program_settings_json.hpp"

#include <cmath>

#include "dialogs/domain_names.hpp"

namespace okr::dialogs {
namespace {
using nlohmann::json;

template <typename T>
void read(const json& j, const char* key, T& into) {
  auto it = j.find(key);
  if (it == j.end())
    return;
  if constexpr (std::is_same_v<T, int>) {
    // Dialog answers arrive as numbers of any kind ("3" typed, 3.0 parsed): whole ones count.
    if (it->is_number() && std::isfinite(it->get<double>()))
      into = static_cast<int>(std::lround(it->get<double>()));
  } else if constexpr (std::is_same_v<T, bool>) {
    if (it->is_boolean())
      into = it->get<bool>();
  } else {
    if (it->is_string())
      into = it->get<std::string>();
  }
}

}  // namespace

json program_settings_json(const ProgramSettings& s) {
  return {
      {"level", to_string(s.level)},
      {"max_objectives", s.max_objectives},
      {"min_key_results", s.min_key_results},
      {"max_key_results", s.max_key_results},
      {"allow_metric", s.allow_metric},
      {"allow_baseline", s.allow_baseline},
      {"allow_milestone", s.allow_milestone},
      {"cycle_months", s.cycle_months},
      {"checkin_weekday", s.checkin_weekday},
      {"checkin_time", s.checkin_time},
      {"digest_weekday", s.digest_weekday},
      {"digest_time", s.digest_time},
      {"time_zone", s.time_zone},
      {"reminder_hours", s.reminder_hours},
      {"feeds_performance_reviews", s.feeds_performance_reviews},
      {"parent_objective", s.parent_objective},
      {"publish_to", s.publish_to},
  };
}

ProgramSettings program_settings_from_json(const json& j, ProgramSettings s) {
  if (!j.is_object())
    return s;
  std::string level(to_string(s.level));
  read(j, "level", level);
  s.level = okr_level_from(level).value_or(s.level);
  read(j, "max_objectives", s.max_objectives);
  read(j, "min_key_results", s.min_key_results);
  read(j, "max_key_results", s.max_key_results);
  read(j, "allow_metric", s.allow_metric);
  read(j, "allow_baseline", s.allow_baseline);
  read(j, "allow_milestone", s.allow_milestone);
  read(j, "cycle_months", s.cycle_months);
  read(j, "checkin_weekday", s.checkin_weekday);
  read(j, "checkin_time", s.checkin_time);
  read(j, "digest_weekday", s.digest_weekday);
  read(j, "digest_time", s.digest_time);
  read(j, "time_zone", s.time_zone);
  read(j, "reminder_hours", s.reminder_hours);
  read(j, "feeds_performance_reviews", s.feeds_performance_reviews);
  read(j, "parent_objective", s.parent_objective);
  read(j, "publish_to", s.publish_to);
  return s;
}

}  // namespace okr::dialogs
