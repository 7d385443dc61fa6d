#include "dialogs/key_result_view.hpp"

#include <algorithm>
#include <cmath>

#include "dialogs/variables.hpp"

namespace okr::dialogs {

namespace {
using nlohmann::json;

const char* kind_name(KeyResultKind kind) {
  switch (kind) {
    case KeyResultKind::baseline: return "baseline";
    case KeyResultKind::milestone: return "milestone";
    case KeyResultKind::metric: break;
  }
  return "metric";
}
// Stand-ins until dialogs/progress.hpp lands; same rules as COACHING.md.
double key_result_progress(const KeyResult& kr, double value) {
  double p = 0;
  if (kr.kind == KeyResultKind::milestone || !kr.target) {
    p = value;
  } else {
    const double base = kr.baseline.value_or(0);
    if (*kr.target == base) return value >= *kr.target ? 1 : 0;
    p = (value - base) / (*kr.target - base);
  }
  return std::clamp(p, 0.0, 1.0);
}
double expected_progress(const Cycle& cycle, TimePoint now) {
  const double total = static_cast<double>((cycle.ends_at - cycle.starts_at).count());
  if (total <= 0) return 1;
  return std::clamp(static_cast<double>((now - cycle.starts_at).count()) / total, 0.0, 1.0);
}
bool is_at_risk(double progress, std::optional<double> expected, std::optional<int> confidence,
                std::optional<int> previous_confidence) {
  if (confidence && *confidence <= 4) return true;
  if (confidence && previous_confidence && *previous_confidence - *confidence >= 3) return true;
  return expected && *expected - progress > 0.2;
}
}  // namespace

json key_result_json(const KeyResult& kr) {
  json out = {{"id", kr.id},
              {"text", kr.text},
              {"kind", kind_name(kr.kind)},
              {"unit", kr.unit},
              {"direction", kr.direction == Direction::decrease ? "decrease" : "increase"}};
  if (kr.baseline) out["baseline"] = *kr.baseline;
  if (kr.target) out["target"] = *kr.target;
  if (kr.current) out["current"] = *kr.current;
  if (kr.deadline) out["deadline"] = *kr.deadline;
  return out;
}

KeyResult key_result_from_json(const json& j) {
  KeyResult kr;
  kr.id = j.value("id", Id{0});
  kr.text = j.value("text", "");
  const std::string kind = j.value("kind", "metric");
  kr.kind = kind == "milestone"  ? KeyResultKind::milestone
            : kind == "baseline" ? KeyResultKind::baseline
                                 : KeyResultKind::metric;
  kr.unit = j.value("unit", "");
  kr.direction = j.value("direction", "increase") == "decrease" ? Direction::decrease
                                                                : Direction::increase;
  if (j.contains("baseline") && j["baseline"].is_number()) kr.baseline = j["baseline"].get<double>();
  if (j.contains("target") && j["target"].is_number()) kr.target = j["target"].get<double>();
  if (j.contains("current") && j["current"].is_number()) kr.current = j["current"].get<double>();
  if (j.contains("deadline") && j["deadline"].is_string()) kr.deadline = j["deadline"].get<std::string>();
  return kr;
}

std::string value_text(const KeyResult& kr, double value) {
  if (kr.kind == KeyResultKind::milestone) {
    if (value >= 1) return "done";
    if (value <= 0) return "not yet";
    return as_text(json(std::round(value * 100))) + "% done";
  }
  std::string number = as_text(json(value));
  if (kr.unit.empty()) return number;
  if (kr.unit == "%") return number + "%";
  return number + " " + kr.unit;
}

json progress_row(const KeyResult& kr, const std::string& objective, double value,
                  std::optional<int> confidence, const std::optional<CheckIn>& previous,
                  const Context& context) {
  const double now = key_result_progress(kr, value);
  json row = {{"objective", objective},
              {"key_result", kr.text},
              {"value", value_text(kr, value)},
              {"progress", now}};
  std::optional<int> previous_confidence;
  if (previous) {
    row["change"] = now - key_result_progress(kr, previous->value);
    previous_confidence = previous->confidence;
  }
  if (confidence) row["confidence"] = *confidence;
  std::optional<double> expected;
  if (context.cycle) expected = expected_progress(*context.cycle, context.now);
  row["at_risk"] = is_at_risk(now, expected, confidence, previous_confidence);
  return row;
}

}  // namespace okr::dialogs
