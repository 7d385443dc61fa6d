#include "tests/support/draft_answers.hpp"

namespace okr::test {

std::string draft_answer(const std::string& question) {
  const auto asks = [&question](const char* words) {
    return question.find(words) != std::string::npos;
  };
  if (asks("type done"))
    return "done";
  if (asks("Where are you today"))
    return "40%";
  if (asks("get in the way"))
    return "Support is stretched thin";
  if (asks("support would help"))
    return "Two days of design time";
  return "keep";
}

}  // namespace okr::test
