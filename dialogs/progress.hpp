#pragma once
// Progress and risk maths for check-ins and digests (../shared/COACHING.md, "Check-ins,
// progress and risk"). Pure functions: values and time come in as arguments.
#include <optional>
#include <vector>

#include "dialogs/domain.hpp"

namespace okr::dialogs {

// 0..1, or nothing when the key result has no target to measure against.
// - metric: (current - baseline) / (target - baseline), clamped; works for decreasing targets.
//   Without a baseline: current / target for increases (target > 0), target / current for
//   decreases (a churn of 6% against a 3% target is half way).
// - milestone: the value recorded at check-in, 0 (not done) to 1 (done), or a declared fraction.
// - baseline kind: 1 once any measurement exists (establishing it is the goal), else 0.
// A key result without any recorded value has made no progress yet: 0.
std::optional<double> key_result_progress(const KeyResult& kr, std::optional<double> current);
std::optional<double> key_result_progress(const KeyResult& kr);  // uses kr.current

// Average over the key results that have a measurable progress; nothing when none has.
std::optional<double> objective_progress(const std::vector<KeyResult>& key_results);

// Signed change in progress since the previous check-in; nothing for a first check-in.
std::optional<double> progress_change(const KeyResult& kr, std::optional<double> previous_value,
                                      double current_value);

// The fraction of the cycle elapsed at `now`, 0..1: the progress one would expect by then.
double elapsed_fraction(TimePoint starts_at, TimePoint ends_at, TimePoint now);

enum class Risk { on_track, at_risk, off_track };

enum class RiskReason {
  low_confidence,       // confidence <= 4 (COACHING.md)
  behind_schedule,      // progress trails the elapsed fraction by more than 20 points
  confidence_dropped,   // confidence fell by 3 or more since the last check-in
  very_low_confidence,  // confidence <= 2: "not believable" in COACHING.md's words
  far_behind,           // progress trails the elapsed fraction by more than 40 points
};

struct RiskAssessment {
  Risk level = Risk::on_track;
  std::vector<RiskReason> reasons;
};

// Thresholds: "at risk" exactly as COACHING.md defines it (confidence <= 4, or more than 20
// points behind the elapsed fraction, or a confidence drop of 3+). COACHING.md does not define
// "off track"; we call a key result off track when it is more than 40 points behind, or its
// confidence is 2 or less — the range the coaching notes call "not believable".
RiskAssessment assess_risk(double progress, double expected_progress, int confidence,
                           std::optional<int> previous_confidence);

const char* to_string(Risk risk);

}  // namespace okr::dialogs
