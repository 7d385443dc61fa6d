#include "bot/app/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

namespace okr::bot::app {

namespace {

std::string utc_timestamp(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(time);
  const auto day = floor<days>(ms);
  const year_month_day ymd{day};
  const hh_mm_ss hms{ms - day};
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02ld:%02ld:%02ld.%03ldZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                long(hms.minutes().count()), long(hms.seconds().count()),
                long(hms.subseconds().count()));
  return text;
}

// The same words the configuration uses (warn, not spdlog's "warning").
std::string_view level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

spdlog::level::level_enum to_spdlog(okr::config::LogLevel level) {
  switch (level) {
    case okr::config::LogLevel::debug:
      return spdlog::level::debug;
    case okr::config::LogLevel::info:
      return spdlog::level::info;
    case okr::config::LogLevel::warn:
      return spdlog::level::warn;
    case okr::config::LogLevel::error:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string line = json_log_line(msg.time, level_name(msg.level),
                                     std::string_view(msg.payload.data(), msg.payload.size()));
    line += '\n';
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLineFormatter>();
  }
};

}  // namespace

std::string json_log_line(std::chrono::system_clock::time_point time, std::string_view level,
                          std::string_view message) {
  // ordered_json keeps ts, level, msg in reading order; the library does the escaping.
  nlohmann::ordered_json line;
  line["ts"] = utc_timestamp(time);
  line["level"] = level;
  line["msg"] = message;
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void setup_logging(const okr::config::Config& config) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  if (config.log_format == okr::config::LogFormat::json) {
    sink->set_formatter(std::make_unique<JsonLineFormatter>());
  } else {
    sink->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        "%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc));
  }
  auto logger = std::make_shared<spdlog::logger>("okr-coach", std::move(sink));
  logger->set_level(to_spdlog(config.log_level));
  // Tests and log shippers read stderr line by line; a buffered line could arrive too late.
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace okr::bot::app
