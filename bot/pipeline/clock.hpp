#pragma once
// The clock is passed in, never read globally, so turns and schedules can be tested at any
// date (see ARCHITECTURE.md, "dependencies are passed in").
#include <chrono>
#include <functional>

#include "dialogs/domain.hpp"

namespace okr::bot::pipeline {

using Clock = std::function<dialogs::TimePoint()>;

inline dialogs::TimePoint system_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace okr::bot::pipeline
