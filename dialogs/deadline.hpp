#pragma once
// Finds the deadline in a key-result candidate: "by March", "by end of Q2", "by 2026-12-31",
// "within 6 weeks", "in Q3", "before the summer". The drafter keeps it as written.
#include <cstddef>
#include <optional>
#include <vector>

#include "dialogs/answer_tokens.hpp"

namespace okr::dialogs {

struct DeadlineSpan {
  std::size_t first = 0;  // first token of the phrase
  std::size_t last = 0;   // one past its last token
};

std::optional<DeadlineSpan> find_deadline(const std::vector<AnswerToken>& tokens);

}  // namespace okr::dialogs
