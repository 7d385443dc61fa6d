#pragma once
// What a person answers to the draft dialog's later questions in the end-to-end tests, after
// the objective, its why and the first signal: no more signals, a baseline, an obstacle, the
// support wanted, and "keep" to every coaching follow-up. Shared by every channel's test so
// they walk the same conversation.
#include <string>

namespace okr::test {

std::string draft_answer(const std::string& question);

}  // namespace okr::test
