#include "dialogs/key_result_view.hpp"

#include <cmath>

#include "dialogs/domain_names.hpp"
#include "dialogs/progress.hpp"
#include "dialogs/variables.hpp"

namespace okr::dialogs {

namespace {
using nlohmann::json;

// Expected progress runs from when the key result was set, not from the cycle's first day: an
// OKR drafted in week six is not "behind" on the day it is saved.
TimePoint schedule_start(const KeyResult& kr, const Context& context) {
  TimePoint start = context.cycle->starts_at;
  for (const auto& objective : context.objectives) {
    if (objective.id == kr.objective_id && objective.created_at > start)
      start = objective.created_at;
  }
  return start;
}

}  // namespace

json key_result_json(const KeyResult& kr) {
  json out = {{"id", kr.id},
              {"text", kr.text},
              {"kind", to_string(kr.kind)},
              {"unit", kr.unit},
              {"direction", to_string(kr.direction)},
              {"position", kr.position}};
  if (kr.baseline)
    out["baseline"] = *kr.baseline;
  if (kr.target)
    out["target"] = *kr.target;
  if (kr.current)
    out["current"] = *kr.current;
  if (kr.deadline)
    out["deadline"] = *kr.deadline;
  return out;
}

KeyResult key_result_from_json(const json& j) {
  KeyResult kr;
  kr.id = j.value("id", Id{0});
  kr.text = j.value("text", "");
  kr.kind = key_result_kind_from(j.value("kind", "metric")).value_or(KeyResultKind::metric);
  kr.unit = j.value("unit", "");
  kr.direction = direction_from(j.value("direction", "increase")).value_or(Direction::increase);
  kr.position = j.value("position", 0);
  if (j.contains("baseline") && j["baseline"].is_number())
    kr.baseline = j["baseline"].get<double>();
  if (j.contains("target") && j["target"].is_number())
    kr.target = j["target"].get<double>();
  if (j.contains("current") && j["current"].is_number())
    kr.current = j["current"].get<double>();
  if (j.contains("deadline") && j["deadline"].is_string())
    kr.deadline = j["deadline"].get<std::string>();
  return kr;
}

std::string value_text(const KeyResult& kr, double value) {
  if (kr.kind == KeyResultKind::milestone) {
    if (value >= 1)
      return "done";
    if (value <= 0)
      return "not yet";
    return as_text(json(std::round(value * 100))) + "% done";
  }
  std::string number = as_text(json(value));
  if (kr.unit.empty())
    return number;
  if (kr.unit == "%")
    return number + "%";
  return number + " " + kr.unit;
}

json progress_row(const KeyResult& kr, const std::string& objective, double value,
                  std::optional<int> confidence, const std::optional<CheckIn>& previous,
                  const Context& context) {
  const double now = key_result_progress(kr, value).value_or(0);
  json row = {{"objective", objective},
              {"key_result", kr.text},
              {"value", value_text(kr, value)},
              {"progress", now}};
  std::optional<int> previous_confidence;
  if (previous) {
    if (auto change = progress_change(kr, previous->value, value))
      row["change"] = *change;
    previous_confidence = previous->confidence;
  }
  if (confidence)
    row["confidence"] = *confidence;
  // Without a cycle there is no schedule to trail, and without a check-in no confidence: neither
  // should raise a flag on its own, so they stand in as "on schedule" and "confident".
  const double expected = context.cycle ? elapsed_fraction(schedule_start(kr, context),
                                                           context.cycle->ends_at, context.now)
                                        : now;
  row["at_risk"] = assess_risk(now, expected, confidence.value_or(10), previous_confidence).level !=
                   Risk::on_track;
  return row;
}

}  // namespace okr::dialogs
