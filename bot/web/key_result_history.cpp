#include "bot/web/key_result_history.hpp"

#include <algorithm>
#include <map>

#include "bot/web/time_text.hpp"
#include "dialogs/domain_names.hpp"
#include "dialogs/progress.hpp"

namespace okr::bot::web {
namespace {

constexpr std::chrono::seconds kWeek{7 * 24 * 3600};

}  // namespace

int weeks_in(const dialogs::Cycle& cycle) {
  const auto length = cycle.ends_at - cycle.starts_at;
  if (length <= std::chrono::seconds{0})
    return 0;
  return static_cast<int>((length + kWeek - std::chrono::seconds{1}) / kWeek);
}

std::vector<WeekPoint> weekly_points(const dialogs::KeyResult& kr, const dialogs::Cycle& cycle,
                                     const std::vector<dialogs::CheckIn>& check_ins) {
  std::map<int, dialogs::CheckIn> last_of_week;
  for (const auto& check_in : check_ins) {
    if (check_in.at < cycle.starts_at || check_in.at >= cycle.ends_at)
      continue;
    const int week = static_cast<int>((check_in.at - cycle.starts_at) / kWeek) + 1;
    auto [it, added] = last_of_week.try_emplace(week, check_in);
    // The later check-in of a week is where the week ended (ties: the later row).
    if (!added && (check_in.at > it->second.at ||
                   (check_in.at == it->second.at && check_in.id > it->second.id)))
      it->second = check_in;
  }
  std::vector<WeekPoint> points;
  for (const auto& [week, check_in] : last_of_week) {
    WeekPoint point;
    point.week = week;
    point.at = check_in.at;
    point.value = check_in.value;
    point.progress = dialogs::key_result_progress(kr, check_in.value).value_or(0.0);
    point.confidence = check_in.confidence;
    points.push_back(point);
  }
  return points;
}

nlohmann::json history_json(const dialogs::KeyResult& kr, const dialogs::Cycle& cycle,
                            const std::vector<WeekPoint>& points) {
  auto list = nlohmann::json::array();
  for (const auto& p : points) {
    list.push_back({{"week", p.week},
                    {"at", iso_utc(p.at)},
                    {"value", p.value},
                    {"progress", p.progress},
                    {"confidence", p.confidence}});
  }
  return {{"key_result",
           {{"id", kr.id},
            {"text", kr.text},
            {"kind", std::string(dialogs::to_string(kr.kind))},
            {"direction", std::string(dialogs::to_string(kr.direction))}}},
          {"cycle",
           {{"label", cycle.label},
            {"starts_at", iso_utc(cycle.starts_at)},
            {"ends_at", iso_utc(cycle.ends_at)}}},
          {"weeks", weeks_in(cycle)},
          {"points", std::move(list)}};
}

}  // namespace okr::bot::web
