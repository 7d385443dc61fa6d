#include "tests/support/served_coach.hpp"

#include <signal.h>

#include <chrono>

#include <catch2/catch.hpp>

namespace okr::test {

ServedCoach::ServedCoach(const TempDir& dir, const std::map<std::string, std::string>& env)
    : process_(okr_coach_binary(),
               okr_coach_options(
                   {"serve", "--listen", "127.0.0.1:0", "--db", (dir / "coach.db").string()},
                   env)) {
  const auto line = process_.wait_for_line("listening on http://");
  INFO("stderr:\n" << process_.err());
  REQUIRE(line);
  const auto port = listening_port(*line);
  REQUIRE(port);
  port_ = *port;
}

ServedCoach::~ServedCoach() {
  process_.send_signal(SIGTERM);
  process_.wait_exit();
}

std::string ServedCoach::log() {
  // A needle never logged makes wait_for_line just drain stderr for a moment.
  process_.wait_for_line("\x01 never logged", Stream::err, std::chrono::milliseconds(200));
  return process_.err();
}

void ServedCoach::await_log(const std::string& needle) {
  const auto line = process_.wait_for_line(needle, Stream::err);
  INFO("stderr:\n" << process_.err());
  REQUIRE(line);
}

std::string ServedCoach::metrics() {
  return request("GET", "/metrics").body;
}

HttpReply ServedCoach::request(std::string_view method, std::string_view target,
                               std::string_view body,
                               const std::vector<std::pair<std::string, std::string>>& headers) {
  HttpConnection connection(port_);
  return connection.request(method, target, body, headers);
}

}  // namespace okr::test
