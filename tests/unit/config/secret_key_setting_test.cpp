// OKR_COACH_SECRET_KEY is checked at start-up: base64 of exactly 32 bytes, never echoed.
#include <catch2/catch.hpp>

#include "config/fields.hpp"

namespace {

std::optional<std::string> parse(std::string_view value, okr::config::Config& config) {
  const auto* field = okr::config::find_field("OKR_COACH_SECRET_KEY");
  REQUIRE(field);
  return field->apply(value, config);
}

}  // namespace

TEST_CASE("the secret key setting takes base64 of 32 bytes", "[config][secrets]") {
  okr::config::Config config;
  const std::string key = "YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE=";  // 32 × 'a'
  CHECK_FALSE(parse(key, config));
  CHECK(config.secret_key == key);
}

TEST_CASE("a secret key of the wrong size or alphabet is refused without echoing it",
          "[config][secrets]") {
  okr::config::Config config;
  const std::string short_key = "YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh";  // 30 bytes
  const auto problem = parse(short_key, config);
  REQUIRE(problem);
  CHECK(problem->find("openssl rand -base64 32") != std::string::npos);
  CHECK(problem->find(short_key) == std::string::npos);
  const auto strange = parse("YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhY!E=", config);
  REQUIRE(strange);
  CHECK(strange->find("YWFh") == std::string::npos);
  CHECK(config.secret_key.empty());
}
