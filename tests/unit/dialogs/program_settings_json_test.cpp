#include <catch2/catch.hpp>

#include "dialogs/program_settings_json.hpp"

using namespace okr::dialogs;

TEST_CASE("program settings survive their JSON form", "[settings]") {
  ProgramSettings s;
  s.level = OkrLevel::team;
  s.max_key_results = 4;
  s.allow_milestone = false;
  s.checkin_time = "08:30";
  s.parent_objective = "Grow recurring revenue";
  const ProgramSettings back = program_settings_from_json(program_settings_json(s));
  CHECK(back.level == OkrLevel::team);
  CHECK(back.max_key_results == 4);
  CHECK_FALSE(back.allow_milestone);
  CHECK(back.checkin_time == "08:30");
  CHECK(back.parent_objective == "Grow recurring revenue");
}

TEST_CASE("a missing or mistyped setting keeps the value it is read over", "[settings]") {
  ProgramSettings base;
  base.max_objectives = 2;
  const auto j = nlohmann::json{{"max_objectives", "lots"}, {"level", "galaxy"},
                                {"min_key_results", 3.0}, {"allow_baseline", "yes"}};
  const ProgramSettings read = program_settings_from_json(j, base);
  CHECK(read.max_objectives == 2);
  CHECK(read.level == base.level);
  CHECK(read.min_key_results == 3);  // a number typed into a dialog arrives as a double
  CHECK(read.allow_baseline == base.allow_baseline);
  CHECK(program_settings_from_json(nlohmann::json("not an object"), base).max_objectives == 2);
}
