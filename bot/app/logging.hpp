#pragma once
// The process-wide logger: spdlog's default logger writing to stderr, at the configured level,
// as text for people or as JSON lines ({"ts","level","msg"}) for log collectors.
#include <chrono>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace okr::bot::app {

// Replaces spdlog's default logger. Call once at start-up, before any thread logs.
void setup_logging(const okr::config::Config& config);

// One JSON log line without the trailing newline: {"ts":"2026-01-02T03:04:05.678Z",
// "level":"info","msg":"..."}. Invalid UTF-8 in `message` becomes U+FFFD instead of breaking
// the line.
std::string json_log_line(std::chrono::system_clock::time_point time, std::string_view level,
                          std::string_view message);

}  // namespace okr::bot::app
