// `okr-coach digest` as a real subprocess against a real SQLite file holding the fixture team.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "storage/database.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/storage/digest_store.hpp"

using okr::test::run_okr_coach;
using okr::test::TempDir;
using Catch::Matchers::Contains;

namespace {

std::string fixture_db(const TempDir& dir) {
  const auto path = (dir / "okr.db").string();
  auto db = okr::storage::Database::open(path);
  db.migrate();
  okr::digest_fixture::store_fixture(db, okr::digest_fixture::team_fixture());
  return path;
}

}  // namespace

TEST_CASE("okr-coach digest prints a past week's digest as text", "[cli][digest]") {
  TempDir dir;
  const auto db = fixture_db(dir);
  const auto r = run_okr_coach({"digest", "--team", "Platform", "--week", "2026-W51", "--db", db, "--now",
                                "2026-12-18T16:00:00Z"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("Weekly digest for Platform, 2026-W51 (2026-Q4)"));
  CHECK_THAT(r.out, Contains("4 of 5 key results at risk; 2 people have not checked in"));
  CHECK_THAT(r.out, Contains("Blocker: \"Need a staging environment\" (Cleo)"));
  CHECK(r.err.empty());
}

TEST_CASE("okr-coach digest --format json prints the documented JSON form", "[cli][digest]") {
  TempDir dir;
  const auto db = fixture_db(dir);
  const auto r = run_okr_coach({"digest", "--team", "Platform", "--week", "2026-W45", "--format", "json", "--db", db,
                                "--now", "2026-12-18T16:00:00Z"});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["format"] == "okr-coach.digest");
  CHECK(j["week"]["label"] == "2026-W45");
  CHECK(j["cycle"]["label"] == "2026-Q4");
  CHECK(j["generated_at"] == "2026-12-18T16:00:00Z");
  CHECK(j["summary"]["key_results"] == 4);
  CHECK(j["summary"]["at_risk"] == 3);
}

TEST_CASE("okr-coach digest --format markdown prints tables", "[cli][digest]") {
  TempDir dir;
  const auto db = fixture_db(dir);
  const auto r = run_okr_coach({"digest", "--team", "Platform", "--week", "2026-W51", "--format", "markdown", "--db",
                                db, "--now", "2026-12-18T16:00:00Z"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("| Key result | Now | Progress | Change | Confidence | Risk |"));
}

TEST_CASE("okr-coach digest defaults to the current week", "[cli][digest]") {
  TempDir dir;
  const auto db = fixture_db(dir);
  const auto r = run_okr_coach({"digest", "--team", "Platform", "--db", db, "--now", "2026-12-18T16:00:00Z"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("2026-W51"));
}

TEST_CASE("okr-coach digest names an unknown team and exits 2", "[cli][digest]") {
  TempDir dir;
  const auto db = fixture_db(dir);
  const auto r = run_okr_coach({"digest", "--team", "Nobody", "--db", db});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("no team called 'Nobody'"));
  CHECK(r.out.empty());
}

TEST_CASE("okr-coach digest names the flag and the form of a bad week and exits 2", "[cli][digest]") {
  TempDir dir;
  const auto db = fixture_db(dir);
  const auto r = run_okr_coach({"digest", "--team", "Platform", "--week", "48", "--db", db});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--week"));
  CHECK_THAT(r.err, Contains("2026-W48"));
  CHECK_THAT(r.err, Contains("'48'"));
}

TEST_CASE("okr-coach digest on a missing database file says so and creates nothing", "[cli][digest]") {
  TempDir dir;
  const auto missing = (dir / "nothing-here.db").string();
  const auto r = run_okr_coach({"digest", "--team", "Platform", "--db", missing});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("no database at " + missing));
  CHECK_FALSE(std::filesystem::exists(missing));
}

TEST_CASE("okr-coach digest refuses a week that has not started", "[cli][digest]") {
  TempDir dir;
  const auto db = fixture_db(dir);
  const auto r = run_okr_coach({"digest", "--team", "Platform", "--week", "2026-W52", "--db", db, "--now",
                                "2026-12-18T16:00:00Z"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--week: 2026-W52 has not started yet"));
}
