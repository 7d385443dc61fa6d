// The okr-coach command line, run as a real subprocess with a clean environment.
#include <SQLiteCpp/Database.h>
#include <signal.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using okr::test::run_okr_coach;
using okr::test::TempDir;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::string migrated_line(int applied, int version) {
  return "applied " + std::to_string(applied) + " migrations; schema version " +
         std::to_string(version);
}

}  // namespace

TEST_CASE("okr-coach --version prints the name and the version", "[cli]") {
  const auto r = run_okr_coach({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == std::string("okr-coach ") + OKR_VERSION + "\n");
}

TEST_CASE("no subcommand prints usage on stderr and exits 2", "[cli]") {
  const auto r = run_okr_coach({});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("Usage: okr-coach"));
}

TEST_CASE("an unknown subcommand prints usage on stderr and exits 2", "[cli]") {
  const auto r = run_okr_coach({"frobnicate"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("frobnicate"));
  CHECK_THAT(r.err, Catch::Contains("Usage: okr-coach"));
}

TEST_CASE("an unknown flag prints the subcommand's usage on stderr and exits 2", "[cli]") {
  const auto r = run_okr_coach({"migrate", "--no-such-flag"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--no-such-flag"));
  CHECK_THAT(r.err, Catch::Contains("Usage: okr-coach migrate"));
}

TEST_CASE("every subcommand has --help on stdout listing the common flags", "[cli]") {
  const std::string command = GENERATE(as<std::string>{}, "serve", "migrate", "check-config");
  const auto r = run_okr_coach({command, "--help"});
  INFO(command);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Usage: okr-coach " + command));
  for (const char* flag :
       {"--config", "--db", "--listen", "--log-level", "--log-format", "--threads"}) {
    CHECK_THAT(r.out, Catch::Contains(flag));
  }
}

TEST_CASE("check-config prints the effective configuration with secrets redacted", "[cli]") {
  const std::string signing = "9b1c5e0f2d7a4c3b8e6f1a2d3c4b5a69";
  const std::string token = "xoxb-1111-2222-sEcReTtOkEn";
  const auto r =
      run_okr_coach({"check-config", "--threads", "3"}, {{"SLACK_SIGNING_SECRET", signing},
                                                         {"SLACK_BOT_TOKEN", token},
                                                         {"OKR_COACH_LISTEN", "127.0.0.1:0"}});
  REQUIRE(r.exit_code == 0);
  for (const std::string& secret : {signing, token, std::string("sEcReT"), signing.substr(0, 8)}) {
    CHECK(r.out.find(secret) == std::string::npos);
    CHECK(r.err.find(secret) == std::string::npos);
  }
  const auto json = nlohmann::json::parse(r.out);
  CHECK(json["slack"]["signing_secret"] == "***");
  CHECK(json["slack"]["bot_token"] == "***");
  CHECK(json["server"]["listen"] == "127.0.0.1:0");
  CHECK(json["server"]["threads"] == 3);
}

TEST_CASE("check-config reads the --config file, and flags override it", "[cli]") {
  TempDir dir;
  const auto file = dir / "okr-coach.json";
  std::ofstream(file) << R"({"log": {"level": "debug"}, "database": {"path": "/from/file.db"}})";
  const auto r = run_okr_coach(
      {"check-config", "--config", file.string(), "--db", (dir / "flag.db").string()});
  REQUIRE(r.exit_code == 0);
  const auto json = nlohmann::json::parse(r.out);
  CHECK(json["log"]["level"] == "debug");
  CHECK(json["database"]["path"] == (dir / "flag.db").string());
}

TEST_CASE("an invalid configuration prints one line per problem and exits 2", "[cli]") {
  const auto r = run_okr_coach({"check-config", "--listen", "nowhere"},
                               {{"OKR_COACH_THREADS", "0"}, {"OKR_COACH_LOG_FORMAT", "xml"}});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  const auto lines = lines_of(r.err);
  REQUIRE(lines.size() == 3);
  std::string fields;
  for (const auto& line : lines) {
    fields += line.substr(0, line.find(':')) + " ";
  }
  CHECK_THAT(fields, Catch::Contains("OKR_COACH_LISTEN "));
  CHECK_THAT(fields, Catch::Contains("OKR_COACH_THREADS "));
  CHECK_THAT(fields, Catch::Contains("OKR_COACH_LOG_FORMAT "));
}

TEST_CASE("check-config refuses a broken dialog file, naming the file, the node and the problem",
          "[cli][dialogs]") {
  TempDir dir;
  std::ofstream(dir / "checkin.json") << R"({"name": "checkin", "version": 1, "start": "ask",
    "nodes": [{"id": "ask", "kind": "ask", "variable": "x", "text": "How is it going?",
               "next": "nowhere"}]})";
  const auto r = run_okr_coach({"check-config"}, {{"OKR_COACH_DIALOGS_DIR", dir.path().string()}});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("OKR_COACH_DIALOGS_DIR: "));
  CHECK_THAT(r.err, Catch::Contains("checkin.json"));
  CHECK_THAT(r.err, Catch::Contains("'ask'"));
  CHECK_THAT(r.err, Catch::Contains("nowhere"));
}

TEST_CASE("a malformed secret is reported without its value", "[cli]") {
  const auto r = run_okr_coach({"check-config"}, {{"SLACK_BOT_TOKEN", "xoxb-pasted WITH-SPACE"}});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("SLACK_BOT_TOKEN: "));
  CHECK_THAT(r.err + r.out, !Catch::Contains("pasted"));
  CHECK_THAT(r.err + r.out, !Catch::Contains("WITH-SPACE"));
}

TEST_CASE("migrate brings a fresh file to the latest schema, and a second run applies none",
          "[cli]") {
  TempDir dir;
  const auto db = (dir / "sub" / "okr.db").string();
  const int latest = okr::storage::Database::latest_schema_version();

  const auto first = run_okr_coach({"migrate", "--db", db});
  INFO(first.err);
  CHECK(first.exit_code == 0);
  CHECK_THAT(first.out, Catch::Contains(migrated_line(latest, latest)));

  const auto second = run_okr_coach({"migrate"}, {{"OKR_COACH_DB", db}});
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.out, Catch::Contains(migrated_line(0, latest)));
}

TEST_CASE("the --db flag overrides OKR_COACH_DB", "[cli]") {
  TempDir dir;
  const auto flag_db = dir / "flag.db";
  const auto env_db = dir / "env.db";
  const auto r =
      run_okr_coach({"migrate", "--db", flag_db.string()}, {{"OKR_COACH_DB", env_db.string()}});
  CHECK(r.exit_code == 0);
  CHECK(std::filesystem::exists(flag_db));
  CHECK_FALSE(std::filesystem::exists(env_db));
}

TEST_CASE("migrate refuses a database from a newer okr-coach, naming both versions", "[cli]") {
  TempDir dir;
  const auto db = (dir / "future.db").string();
  const int latest = okr::storage::Database::latest_schema_version();
  const int future = latest + 5;
  {
    auto database = okr::storage::Database::open(db);
    database.migrate();
    database.handle().exec("INSERT INTO schema_migrations VALUES (" + std::to_string(future) +
                           ", 'from_the_future', '2030-01-01T00:00:00Z')");
  }
  const auto r = run_okr_coach({"migrate", "--db", db});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("version " + std::to_string(future)));
  CHECK_THAT(r.err, Catch::Contains("version " + std::to_string(latest)));
  CHECK(okr::storage::Database::open(db).schema_version() == future);
}

TEST_CASE("migrate on a path that cannot be opened exits 2 naming the path", "[cli]") {
  TempDir dir;
  const auto plain_file = dir / "plain";
  std::ofstream(plain_file) << "x";
  for (const std::string& path : {dir.path().string(), (plain_file / "okr.db").string()}) {
    const auto r = run_okr_coach({"migrate", "--db", path});
    INFO(path);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(path));
  }
}

TEST_CASE("a config file with a JSON syntax error is reported with its path and line", "[cli]") {
  TempDir dir;
  const auto file = (dir / "broken.json").string();
  std::ofstream(file) << "{\n  \"log\": {\"level\": \"debug\",}\n}\n";
  const auto r = run_okr_coach({"check-config", "--config", file});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("--config: "));
  CHECK_THAT(r.err, Catch::Contains(file));
  CHECK_THAT(r.err, Catch::Contains("line 2"));
}

TEST_CASE("with --log-format json every stderr line is a JSON object and secrets stay out",
          "[cli]") {
  TempDir dir;
  const std::string token = "xoxb-9999-never-in-logs";
  okr::test::Process serve(
      okr::test::okr_coach_binary(),
      okr::test::okr_coach_options({"serve", "--listen", "127.0.0.1:0", "--log-format", "json",
                                    "--log-level", "debug", "--db", (dir / "okr.db").string()},
                                   {{"SLACK_BOT_TOKEN", token}}));
  REQUIRE(serve.wait_for_line("listening on http://127.0.0.1:", okr::test::Stream::err));
  serve.send_signal(SIGTERM);
  CHECK(serve.wait_exit() == 0);

  const auto lines = lines_of(serve.err());
  REQUIRE_FALSE(lines.empty());
  for (const auto& line : lines) {
    INFO(line);
    const auto json = nlohmann::json::parse(line);  // throws, failing the test, when not JSON
    CHECK(json.contains("ts"));
    CHECK(json.contains("level"));
    CHECK(json.contains("msg"));
  }
  CHECK_THAT(serve.err() + serve.out(), !Catch::Contains("never-in-logs"));
}
