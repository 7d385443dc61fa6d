#include "dialogs/progress.hpp"

#include <algorithm>

namespace okr::dialogs {
namespace {

constexpr double at_risk_gap = 0.20;
constexpr double off_track_gap = 0.40;
constexpr int at_risk_confidence = 4;
constexpr int off_track_confidence = 2;
constexpr int confidence_drop = 3;

double clamp01(double v) {
  return std::clamp(v, 0.0, 1.0);
}

std::optional<double> metric_progress(const KeyResult& kr, double current) {
  if (!kr.target)
    return std::nullopt;
  const double target = *kr.target;
  if (kr.baseline) {
    const double baseline = *kr.baseline;
    if (target == baseline) {
      const bool reached =
          kr.direction == Direction::decrease ? current <= target : current >= target;
      return reached ? 1.0 : 0.0;
    }
    // The sign of (target - baseline) carries the direction, so one formula serves both.
    return clamp01((current - baseline) / (target - baseline));
  }
  if (kr.direction == Direction::decrease) {
    if (current <= target)
      return 1.0;
    if (current <= 0)
      return 1.0;
    return clamp01(target / current);
  }
  if (target <= 0)
    return current >= target ? 1.0 : 0.0;
  return clamp01(current / target);
}

}  // namespace

std::optional<double> key_result_progress(const KeyResult& kr, std::optional<double> current) {
  switch (kr.kind) {
    case KeyResultKind::milestone:
      return current ? clamp01(*current) : 0.0;
    case KeyResultKind::baseline:
      return current ? 1.0 : 0.0;
    case KeyResultKind::metric:
      if (!kr.target)
        return std::nullopt;
      if (!current)
        return 0.0;
      return metric_progress(kr, *current);
  }
  return std::nullopt;
}

std::optional<double> key_result_progress(const KeyResult& kr) {
  return key_result_progress(kr, kr.current);
}

std::optional<double> objective_progress(const std::vector<KeyResult>& key_results) {
  double sum = 0;
  int counted = 0;
  for (const KeyResult& kr : key_results) {
    if (const auto p = key_result_progress(kr)) {
      sum += *p;
      ++counted;
    }
  }
  if (counted == 0)
    return std::nullopt;
  return sum / counted;
}

std::optional<double> progress_change(const KeyResult& kr, std::optional<double> previous_value,
                                      double current_value) {
  if (!previous_value)
    return std::nullopt;
  const auto before = key_result_progress(kr, previous_value);
  const auto now = key_result_progress(kr, current_value);
  if (!before || !now)
    return std::nullopt;
  return *now - *before;
}

double elapsed_fraction(TimePoint starts_at, TimePoint ends_at, TimePoint now) {
  if (ends_at <= starts_at)
    return now >= ends_at ? 1.0 : 0.0;
  const double total = static_cast<double>((ends_at - starts_at).count());
  const double gone = static_cast<double>((now - starts_at).count());
  return clamp01(gone / total);
}

RiskAssessment assess_risk(double progress, double expected_progress, int confidence,
                           std::optional<int> previous_confidence) {
  RiskAssessment a;
  const double gap = expected_progress - progress;
  bool off = false;
  if (confidence <= off_track_confidence) {
    a.reasons.push_back(RiskReason::very_low_confidence);
    off = true;
  } else if (confidence <= at_risk_confidence) {
    a.reasons.push_back(RiskReason::low_confidence);
  }
  // A small epsilon keeps "exactly 20 points behind" on track despite floating-point noise.
  if (gap > off_track_gap + 1e-9) {
    a.reasons.push_back(RiskReason::far_behind);
    off = true;
  } else if (gap > at_risk_gap + 1e-9) {
    a.reasons.push_back(RiskReason::behind_schedule);
  }
  if (previous_confidence && *previous_confidence - confidence >= confidence_drop) {
    a.reasons.push_back(RiskReason::confidence_dropped);
  }
  if (off) {
    a.level = Risk::off_track;
  } else if (!a.reasons.empty()) {
    a.level = Risk::at_risk;
  }
  return a;
}

const char* to_string(Risk risk) {
  switch (risk) {
    case Risk::on_track:
      return "on track";
    case Risk::at_risk:
      return "at risk";
    case Risk::off_track:
      return "off track";
  }
  return "unknown";
}

}  // namespace okr::dialogs
