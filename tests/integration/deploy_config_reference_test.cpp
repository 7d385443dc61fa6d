// docs/configuration-reference.md is the output of `okr-coach config-reference`; these tests run
// the real binary so the committed page cannot drift from config/fields.cpp.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "config/fields.hpp"
#include "tests/support/process.hpp"

using okr::test::run_okr_coach;

namespace {

const char* const kRegenerate =
    "docs/configuration-reference.md is out of date with config/fields.cpp. Regenerate it with\n"
    "  ./build/okr-coach config-reference > docs/configuration-reference.md\n"
    "(from the source tree, with your build directory) and commit the result.";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The table row of one setting: the line starting with its env name in code.
std::string row_of(const std::string& page, std::string_view env) {
  const std::string start = "| `" + std::string(env) + "` |";
  const auto at = page.find(start);
  if (at == std::string::npos) {
    return "";
  }
  return page.substr(at, page.find('\n', at) - at);
}

}  // namespace

TEST_CASE("the committed configuration reference equals the output of config-reference",
          "[deploy][config-reference]") {
  const auto r = run_okr_coach({"config-reference"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  const std::string committed =
      read_file(std::filesystem::path(OKR_SOURCE_DIR) / "docs" / "configuration-reference.md");
  INFO(kRegenerate);
  CHECK(r.out == committed);
}

TEST_CASE("config-reference has one row per field with its env name, key, flag and doc",
          "[deploy][config-reference]") {
  const auto r = run_okr_coach({"config-reference"});
  REQUIRE(r.exit_code == 0);
  for (const okr::config::Field& field : okr::config::fields()) {
    INFO(field.env);
    const std::string row = row_of(r.out, field.env);
    REQUIRE_FALSE(row.empty());
    CHECK_THAT(row, Catch::Contains("`" + std::string(field.json_key) + "`"));
    if (!field.flag.empty()) {
      CHECK_THAT(row, Catch::Contains("`" + std::string(field.flag)));
    }
    CHECK_THAT(row, Catch::Contains(field.secret ? "| **secret** |" : "| no |"));
  }
}

TEST_CASE("config-reference shows defaults but never the value of a secret it was given",
          "[deploy][config-reference]") {
  const std::string token = "xoxb-9999-8888-dOnOtPrInTmE";
  const auto r = run_okr_coach({"config-reference"},
                               {{"SLACK_BOT_TOKEN", token}, {"OKR_COACH_LISTEN", "0.0.0.0:9443"}});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, !Catch::Contains(token));
  CHECK_THAT(row_of(r.out, "SLACK_BOT_TOKEN"), Catch::Contains("| (none) |"));
  // Defaults, not the environment of the process that printed the page.
  CHECK_THAT(row_of(r.out, "OKR_COACH_LISTEN"), Catch::Contains("`127.0.0.1:8080`"));
  CHECK_THAT(r.out, !Catch::Contains("0.0.0.0:9443"));
}

TEST_CASE("config-reference does not depend on the machine's core count",
          "[deploy][config-reference]") {
  const auto r = run_okr_coach({"config-reference"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(row_of(r.out, "OKR_COACH_THREADS"), Catch::Contains("the number of CPU cores"));
}
