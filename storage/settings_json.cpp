#include "storage/settings_json.hpp"

#include <nlohmann/json.hpp>

namespace okr::storage {
namespace {

using dialogs::OkrLevel;

const char* level_name(OkrLevel level) {
  switch (level) {
    case OkrLevel::company: return "company";
    case OkrLevel::team: return "team";
    case OkrLevel::individual: return "individual";
  }
  return "individual";
}

OkrLevel level_from_name(const std::string& name, OkrLevel fallback) {
  if (name == "company") return OkrLevel::company;
  if (name == "team") return OkrLevel::team;
  if (name == "individual") return OkrLevel::individual;
  return fallback;
}

template <class T>
void read(const nlohmann::json& j, const char* key, T& into) {
  auto it = j.find(key);
  if (it == j.end()) return;
  try {
    into = it->get<T>();
  } catch (const nlohmann::json::exception&) {
    // keep the default: see the header
  }
}

}  // namespace

std::string settings_to_json(const dialogs::ProgramSettings& s) {
  nlohmann::json j{
      {"level", level_name(s.level)},
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
  return j.dump();
}

dialogs::ProgramSettings settings_from_json(std::string_view text) {
  dialogs::ProgramSettings s;
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return s;
  std::string level;
  read(j, "level", level);
  s.level = level_from_name(level, s.level);
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

}  // namespace okr::storage
