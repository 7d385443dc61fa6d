// `okr-coach serve` as a real subprocess: it finds a free port, says which, answers the core
// routes, and stops cleanly on SIGTERM; start-up failures exit 2 with a reason.
#include <signal.h>

#include <fstream>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <SQLiteCpp/Database.h>

#include "storage/database.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using okr::test::Process;
using okr::test::TempDir;

TEST_CASE("okr-coach serve answers health, readiness and metrics, then stops on SIGTERM",
          "[serve]") {
  TempDir dir;
  const auto db = (dir / "coach.db").string();
  Process serve(okr::test::okr_coach_binary(),
                okr::test::okr_coach_options(
                    {"serve", "--listen", "127.0.0.1:0", "--db", db, "--threads", "2"}));
  auto line = serve.wait_for_line("listening on http://");
  REQUIRE(line);
  auto port = okr::test::listening_port(*line);
  REQUIRE(port);
  REQUIRE(*port != 0);

  auto health = okr::test::http_request(*port, "GET", "/healthz");
  CHECK(health.status == 200);
  CHECK(nlohmann::json::parse(health.body) == nlohmann::json{{"status", "ok"}});

  auto ready = okr::test::http_request(*port, "GET", "/readyz");
  CHECK(ready.status == 200);
  CHECK(nlohmann::json::parse(ready.body) == nlohmann::json{{"status", "ready"}});

  auto metrics = okr::test::http_request(*port, "GET", "/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.header("Content-Type").value_or("").find("version=0.0.4") != std::string::npos);
  CHECK(metrics.body.find("okr_coach_build_info{version=\"" OKR_VERSION "\"} 1") !=
        std::string::npos);
  CHECK(metrics.body.find("okr_coach_http_requests_total{route=\"/healthz\",status=\"200\"} 1") !=
        std::string::npos);

  serve.send_signal(SIGTERM);
  CHECK(serve.wait_exit() == 0);
  // One access line per request, without bodies.
  CHECK(serve.err().find("GET /readyz 200") != std::string::npos);
  CHECK(serve.err().find("\"status\":\"ok\"") == std::string::npos);
}

TEST_CASE("okr-coach serve stops cleanly on SIGINT too", "[serve]") {
  TempDir dir;
  Process serve(okr::test::okr_coach_binary(),
                okr::test::okr_coach_options(
                    {"serve", "--listen", "127.0.0.1:0", "--db", (dir / "coach.db").string()}));
  REQUIRE(serve.wait_for_line("listening on http://"));
  serve.send_signal(SIGINT);
  CHECK(serve.wait_exit() == 0);
}

TEST_CASE("okr-coach serve exits 2 and says why when the port is taken", "[serve]") {
  TempDir dir;
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor holder(
      io, {boost::asio::ip::make_address("127.0.0.1"), 0});  // listening: the port is taken
  const auto taken = holder.local_endpoint().port();
  auto result = okr::test::run_okr_coach({"serve", "--listen", "127.0.0.1:" + std::to_string(taken),
                                          "--db", (dir / "coach.db").string()});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find(std::to_string(taken)) != std::string::npos);
  CHECK(result.err.find("listening on") == std::string::npos);
}

TEST_CASE("okr-coach serve exits 2 and says why when the database cannot be opened", "[serve]") {
  TempDir dir;
  {
    std::ofstream blocker(dir / "not-a-directory");
    blocker << "a file where a directory should be\n";
  }
  const auto db = (dir / "not-a-directory" / "coach.db").string();
  auto result = okr::test::run_okr_coach({"serve", "--listen", "127.0.0.1:0", "--db", db});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("not-a-directory") != std::string::npos);
  CHECK(result.err.find("listening on") == std::string::npos);
}

TEST_CASE("okr-coach serve refuses to start with a broken dialog file, naming it", "[serve]") {
  TempDir dir;
  std::ofstream(dir / "reflect.json") << R"({"name": "reflect", "version": 2, "start": "q",
    "nodes": [{"id": "q", "kind": "ask", "variable": "x", "validator": "colour",
               "text": "What did you learn?", "next": "done"},
              {"id": "done", "kind": "end", "text": "Thanks."}]})";
  auto result = okr::test::run_okr_coach(
      {"serve", "--listen", "127.0.0.1:0", "--db", (dir / "coach.db").string()},
      {{"OKR_COACH_DIALOGS_DIR", dir.path().string()}});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("reflect.json") != std::string::npos);
  CHECK(result.err.find("colour") != std::string::npos);
  CHECK(result.err.find("listening on") == std::string::npos);
}

TEST_CASE("okr-coach serve refuses a database from a newer okr-coach with exit 2", "[serve]") {
  TempDir dir;
  const auto db = (dir / "future.db").string();
  const int future = okr::storage::Database::latest_schema_version() + 3;
  {
    auto database = okr::storage::Database::open(db);
    database.migrate();
    database.handle().exec("INSERT INTO schema_migrations VALUES (" + std::to_string(future) +
                           ", 'from_the_future', '2030-01-01T00:00:00Z')");
  }
  auto result = okr::test::run_okr_coach({"serve", "--listen", "127.0.0.1:0", "--db", db});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("version " + std::to_string(future)) != std::string::npos);
  CHECK(result.err.find("listening on") == std::string::npos);
}

TEST_CASE("the access log of okr-coach serve carries no bodies, header values or queries",
          "[serve]") {
  TempDir dir;
  Process serve(okr::test::okr_coach_binary(),
                okr::test::okr_coach_options(
                    {"serve", "--listen", "127.0.0.1:0", "--db", (dir / "coach.db").string()}));
  auto line = serve.wait_for_line("listening on http://");
  REQUIRE(line);
  auto port = okr::test::listening_port(*line);
  REQUIRE(port);

  auto refused =
      okr::test::http_request(*port, "POST", "/healthz?token=query-secret-789", "body-secret-123",
                              {{"Authorization", "Bearer header-secret-456"}});
  CHECK(refused.status == 405);
  auto missing = okr::test::http_request(*port, "GET", "/users/person-secret-321");
  CHECK(missing.status == 404);

  serve.send_signal(SIGTERM);
  REQUIRE(serve.wait_exit() == 0);
  const std::string logs = serve.out() + serve.err();
  CHECK(logs.find("POST /healthz 405") != std::string::npos);
  CHECK(logs.find("GET unmatched 404") != std::string::npos);
  for (const char* secret :
       {"query-secret-789", "body-secret-123", "header-secret-456", "person-secret-321"}) {
    INFO(secret);
    CHECK(logs.find(secret) == std::string::npos);
  }
}
