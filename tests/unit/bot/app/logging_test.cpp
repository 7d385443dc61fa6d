#include "bot/app/logging.hpp"

#include <spdlog/spdlog.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using okr::bot::app::json_log_line;

namespace {

std::chrono::system_clock::time_point at_2026_01_02_030405_678() {
  using namespace std::chrono;
  return sys_days{year{2026} / 1 / 2} + hours{3} + minutes{4} + seconds{5} + milliseconds{678};
}

}  // namespace

TEST_CASE("a JSON log line carries ts, level and msg in that order", "[logging]") {
  const auto line = json_log_line(at_2026_01_02_030405_678(), "info", "listening on http://x");
  CHECK(line ==
        R"({"ts":"2026-01-02T03:04:05.678Z","level":"info","msg":"listening on http://x"})");
}

TEST_CASE("a JSON log line escapes quotes, backslashes, newlines and control characters",
          "[logging]") {
  const std::string tricky = "say \"hi\"\\ then\nnext\tline\x01 end";
  const auto line = json_log_line(at_2026_01_02_030405_678(), "warn", tricky);
  CHECK(line.find('\n') == std::string::npos);
  CHECK_THAT(line, Catch::Contains(R"(say \"hi\"\\ then\nnext\tline\u0001 end)"));
  CHECK(nlohmann::json::parse(line)["msg"] == tricky);
}

TEST_CASE("a JSON log line survives invalid UTF-8 in the message", "[logging]") {
  const std::string broken = "bad \xff\xfe bytes, good \xc3\xa9";
  const auto line = json_log_line(at_2026_01_02_030405_678(), "error", broken);
  const auto parsed = nlohmann::json::parse(line);
  CHECK(parsed["level"] == "error");
  CHECK_THAT(parsed["msg"].get<std::string>(), Catch::Contains("good \xc3\xa9"));
}

TEST_CASE("setup_logging applies the configured level to the default logger", "[logging]") {
  okr::config::Config config;
  config.log_level = okr::config::LogLevel::warn;
  config.log_format = okr::config::LogFormat::json;
  okr::bot::app::setup_logging(config);
  CHECK(spdlog::default_logger()->level() == spdlog::level::warn);
  config.log_level = okr::config::LogLevel::debug;
  okr::bot::app::setup_logging(config);
  CHECK(spdlog::default_logger()->level() == spdlog::level::debug);
}
