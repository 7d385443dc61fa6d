// `wait` of GET /web/api/messages: how long a long poll may be held.
#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "bot/web/web_request.hpp"

using okr::bot::web::kMaxWait;
using okr::bot::web::parse_wait;
using namespace std::chrono_literals;

TEST_CASE("no wait means answer at once", "[web]") {
  std::string problem;
  CHECK(parse_wait("after=3", problem) == 0s);
  CHECK(parse_wait("", problem) == 0s);
}

TEST_CASE("a wait in whole seconds is kept up to the cap, and capped beyond", "[web]") {
  std::string problem;
  CHECK(parse_wait("after=3&wait=25", problem) == 25s);
  CHECK(parse_wait("wait=0", problem) == 0s);
  CHECK(parse_wait("wait=30", problem) == kMaxWait);
  CHECK(parse_wait("wait=3600", problem) == kMaxWait);
  CHECK(parse_wait("wait=99999999999999999999", problem) == std::nullopt);  // not a number we hold
}

TEST_CASE("a wait that is not a whole number of seconds is refused with a sentence", "[web]") {
  for (const std::string bad : {"wait=", "wait=-1", "wait=1.5", "wait=soon", "wait=5s"}) {
    INFO(bad);
    std::string problem;
    CHECK_FALSE(parse_wait(bad, problem));
    CHECK(problem.find("\"wait\"") != std::string::npos);
  }
}
