// Inputs the fuzz targets (tests/fuzz) found crashing, kept as ordinary tests so the normal
// suite guards the fix. Each names the target and what went wrong.
#include <string>

#include <catch2/catch.hpp>

#include "dialogs/definition.hpp"

using namespace okr::dialogs;

TEST_CASE("a dialog file with a number too large for a double is a problem, not a crash",
          "[definition][fuzz]") {
  // dialog_definition target: nlohmann throws out_of_range (not parse_error) for "11e1111",
  // which escaped the loader and would have ended the service at start without naming the file.
  for (const std::string text : {"11e1111e11", R"({"name": "t", "version": 1e999})"}) {
    INFO(text);
    const DefinitionLoad load = parse_definition(text, "pulse.json");
    CHECK_FALSE(load.definition.has_value());
    REQUIRE(load.problems.size() == 1);
    CHECK(load.problems.front().error);
    CHECK(load.problems.front().file == "pulse.json");
    CHECK(load.problems.front().message.find("not valid JSON") != std::string::npos);
  }
}
