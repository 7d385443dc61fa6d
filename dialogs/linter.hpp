#pragma once
// Coaching checks on a draft OKR. Every finding is a question to ask, never a verdict.
#include <string>
#include <vector>

#include "dialogs/domain.hpp"
#include "dialogs/drafter.hpp"

namespace okr::dialogs {

enum class LintRule {
  no_number,                // key result has nothing measurable
  output_not_outcome,       // "launch X" without the change it should create
  milestone_not_allowed,    // program disallows milestones
  missing_baseline,         // target without a starting point
  too_many_key_results,     // more than the program's maximum
  too_few_key_results,      // fewer than the program's minimum
  number_in_objective,      // numbers belong in key results
  objective_too_long,       // more than one sentence
};

struct LintFinding {
  LintRule rule;
  int key_result_index = -1;  // -1: about the objective or the set as a whole
  std::string question;       // warm, brief, curious; uses the person's words where it can
};

std::vector<LintFinding> lint_okr(const std::string& objective,
                                  const std::vector<KeyResultDraft>& key_results,
                                  const ProgramSettings& settings);

// Stable short name for a rule ("no_number", ...), for logs, tests and stored follow-ups.
const char* to_string(LintRule rule);

}  // namespace okr::dialogs
