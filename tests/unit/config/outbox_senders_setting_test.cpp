// OKR_COACH_OUTBOX_SENDERS: how many platform calls the outbox dispatcher makes at once.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "config/load.hpp"

namespace {

okr::config::LoadResult load_with(const std::string& env, const std::string& value) {
  okr::config::Sources sources;
  sources.environment = {{env, value}};
  return okr::config::load(sources);
}

}  // namespace

TEST_CASE("outbox senders default to 4 and take a value from the environment", "[config]") {
  CHECK(okr::config::load({}).config.outbox_senders == 4);
  const auto result = load_with("OKR_COACH_OUTBOX_SENDERS", "2");
  CHECK(result.problems.empty());
  CHECK(result.config.outbox_senders == 2);
  CHECK(load_with("OKR_COACH_OUTBOX_SENDERS", "1").config.outbox_senders == 1);
  CHECK(load_with("OKR_COACH_OUTBOX_SENDERS", "32").config.outbox_senders == 32);
}

TEST_CASE("outbox senders outside 1..32 or not a number are one problem naming the range",
          "[config]") {
  const auto value = GENERATE(as<std::string>{}, "0", "33", "four", "-1", "2.5", "1000000");
  const auto result = load_with("OKR_COACH_OUTBOX_SENDERS", value);
  INFO("OKR_COACH_OUTBOX_SENDERS=" << value);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].field == "OKR_COACH_OUTBOX_SENDERS");
  CHECK_THAT(result.problems[0].message, Catch::Contains("between 1 and 32"));
  CHECK_THAT(result.problems[0].message, Catch::Contains("(from environment)"));
  CHECK(result.config.outbox_senders == 4);
}

TEST_CASE("outbox senders are read from the config file's outbox section", "[config]") {
  // Its own directory: tests run in parallel.
  std::string dir = (std::filesystem::temp_directory_path() / "okr-outbox-senders-XXXXXX").string();
  REQUIRE(mkdtemp(dir.data()) != nullptr);
  const auto path = std::filesystem::path(dir) / "okr-coach.json";
  std::ofstream(path) << R"({"outbox": {"senders": 8}})";
  okr::config::Sources sources;
  sources.config_file = path.string();
  const auto result = okr::config::load(sources);
  std::filesystem::remove_all(dir);
  CHECK(result.problems.empty());
  CHECK(result.config.outbox_senders == 8);
}
