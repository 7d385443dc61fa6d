// `okr-coach backup --to FILE` against the real binary: it refuses to overwrite, and a copy
// taken while `serve` is busy answering the web page opens, migrates and holds every message
// that was answered before the copy began.
#include <signal.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using nlohmann::json;
using okr::test::run_okr_coach;
using okr::test::TempDir;

namespace {

const std::vector<std::pair<std::string, std::string>> kJson = {{"Content-Type", "application/json"}};

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

int count(const std::string& db, const std::string& sql) {
  SQLite::Database copy(db, SQLite::OPEN_READONLY);
  return copy.execAndGet(sql).getInt();
}

}  // namespace

TEST_CASE("backup refuses to replace an existing file unless --force is given", "[backup]") {
  TempDir dir;
  const auto db = (dir / "coach.db").string();
  REQUIRE(run_okr_coach({"migrate", "--db", db}).exit_code == 0);
  const auto existing = dir / "keep.db";
  std::ofstream(existing) << "precious";

  const auto refused = run_okr_coach({"backup", "--db", db, "--to", existing.string()});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("already exists") != std::string::npos);
  CHECK(refused.err.find("--force") != std::string::npos);
  CHECK(read_all(existing) == "precious");

  const auto forced = run_okr_coach({"backup", "--db", db, "--to", existing.string(), "--force"});
  CHECK(forced.exit_code == 0);
  CHECK(read_all(existing) != "precious");
  CHECK(count(existing.string(), "SELECT count(*) FROM schema_migrations") > 0);
}

TEST_CASE("backup of a database that does not exist fails and creates nothing", "[backup]") {
  TempDir dir;
  const auto missing = (dir / "nothing-here.db").string();
  const auto result = run_okr_coach({"backup", "--db", missing, "--to", (dir / "copy.db").string()});
  CHECK(result.exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(missing));
  CHECK_FALSE(std::filesystem::exists(dir / "copy.db"));
  // Nothing half-written is left behind either.
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 0);
}

TEST_CASE("a backup taken while serve answers messages opens, migrates and holds what was answered",
          "[backup]") {
  TempDir dir;
  const auto db = (dir / "coach.db").string();
  okr::test::Process serve(okr::test::okr_coach_binary(),
                           okr::test::okr_coach_options({"serve", "--listen", "127.0.0.1:0", "--db", db, "--threads", "2"}));
  const auto line = serve.wait_for_line("listening on http://");
  REQUIRE(line);
  const auto port = okr::test::listening_port(*line);
  REQUIRE(port);
  auto post = [&](const std::string& text, const std::string& client_id) {
    return okr::test::http_request(*port, "POST", "/web/api/messages",
                                   json{{"text", text}, {"client_id", client_id}}.dump(), kJson);
  };

  // Answered before the copy: these must all be in it.
  constexpr int kBefore = 5;
  for (int i = 0; i < kBefore; ++i) REQUIRE(post("help", "before-" + std::to_string(i)).status == 202);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int coach = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    coach = count(db, "SELECT count(*) FROM web_messages WHERE author = 'coach'");
    if (coach >= kBefore)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(coach >= kBefore);

  // Traffic keeps flowing while the copies are taken.
  std::atomic<bool> stop{false};
  std::atomic<int> accepted{0};
  std::thread traffic([&] {
    for (int i = 0; !stop; ++i)
      if (post("help", "during-" + std::to_string(i)).status == 202)
        ++accepted;
  });
  std::vector<std::string> copies;
  for (int i = 0; i < 3; ++i) {
    const auto copy = (dir / ("copy-" + std::to_string(i) + ".db")).string();
    const auto result = run_okr_coach({"backup", "--db", db, "--to", copy});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("backed up ") != std::string::npos);
    copies.push_back(copy);
  }
  stop = true;
  traffic.join();
  CHECK(accepted > 0);
  serve.send_signal(SIGTERM);
  CHECK(serve.wait_exit() == 0);

  for (const auto& copy : copies) {
    INFO(copy);
    // The copy is one self-contained file: nothing of it lives in a WAL beside it.
    CHECK_FALSE(std::filesystem::exists(copy + "-wal"));
    {
      SQLite::Database opened(copy, SQLite::OPEN_READONLY);
      CHECK(opened.execAndGet("PRAGMA integrity_check").getString() == "ok");
    }
    const auto migrated = run_okr_coach({"migrate", "--db", copy});
    INFO(migrated.err);
    CHECK(migrated.exit_code == 0);
    CHECK(migrated.out.find("applied 0 migrations") != std::string::npos);
    CHECK(count(copy, "SELECT count(*) FROM web_messages WHERE source_key LIKE '%before-%'") >= kBefore);
    CHECK(count(copy, "SELECT count(*) FROM web_messages WHERE author = 'coach'") >= kBefore);
  }
}
