// Long polling of the web conversation log on the real `okr-coach serve`:
// GET /web/api/messages?after=ID&wait=SECONDS answers as soon as the log has something after ID,
// or with an empty list when the wait is over; open polls hold no server thread.
#include <signal.h>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using nlohmann::json;
using okr::test::HttpConnection;
using okr::test::HttpReply;
using okr::test::Process;
using okr::test::TempDir;
using namespace std::chrono_literals;

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

// `serve` on a free port with its own database; stopped (SIGTERM) when the test ends.
struct Coach {
  TempDir dir;
  std::optional<Process> process;
  std::uint16_t port = 0;

  Coach() {
    process.emplace(okr::test::okr_coach_binary(),
                    okr::test::okr_coach_options({"serve", "--listen", "127.0.0.1:0", "--db",
                                                  (dir / "coach.db").string(), "--threads", "2"},
                                                 {}));
    const auto line = process->wait_for_line("listening on http://");
    REQUIRE(line);
    const auto found = okr::test::listening_port(*line);
    REQUIRE(found);
    port = *found;
  }
  ~Coach() {
    if (process) {
      process->send_signal(SIGTERM);
      process->wait_exit();
    }
  }
  long post(const std::string& text, const std::string& client_id) const {
    const auto reply = okr::test::http_request(
        port, "POST", "/web/api/messages",
        json{{"text", text}, {"client_id", client_id}}.dump(),
        Headers{{"Content-Type", "application/json"}});
    REQUIRE(reply.status == 202);
    return json::parse(reply.body)["id"].get<long>();
  }
  // A long poll in the background; its reply arrives in the future.
  std::future<HttpReply> poll(long after, int wait_seconds) const {
    const auto target = "/web/api/messages?after=" + std::to_string(after) +
                        "&wait=" + std::to_string(wait_seconds);
    return std::async(std::launch::async, [port = port, target] {
      return okr::test::http_request(port, "GET", target);
    });
  }
};

json messages_of(const HttpReply& reply) {
  REQUIRE(reply.status == 200);
  return json::parse(reply.body)["messages"];
}

bool still_waiting(std::future<HttpReply>& reply) {
  // Only ever asserted in the "still open" direction: the server holds it for many seconds.
  return reply.wait_for(300ms) == std::future_status::timeout;
}

}  // namespace

TEST_CASE("a waiting request is answered by the message that arrives later, then the reply",
          "[web][long-poll]") {
  Coach coach;
  auto first = coach.poll(0, 15);
  CHECK(still_waiting(first));
  const auto mine = coach.post("help", "lp-1");
  const auto woken = messages_of(first.get());
  REQUIRE_FALSE(woken.empty());
  CHECK(woken[0]["id"] == mine);
  CHECK(woken[0]["author"] == "person");

  // The coach's answer comes to the next poll: at once if the turn already ran, else when the
  // delivery logs it. Either way no client-side polling interval is involved.
  json reply = json::array();
  long after = mine;
  for (int round = 0; round < 5 && reply.empty(); ++round) {
    reply = messages_of(coach.poll(after, 15).get());
  }
  REQUIRE_FALSE(reply.empty());
  CHECK(reply[0]["author"] == "coach");
  CHECK(reply[0]["message"]["text"].get<std::string>().find("draft") != std::string::npos);
}

TEST_CASE("a wait with nothing new ends with an empty list and the same last id",
          "[web][long-poll]") {
  Coach coach;
  const auto reply = okr::test::http_request(coach.port, "GET", "/web/api/messages?after=0&wait=1");
  REQUIRE(reply.status == 200);
  const auto body = json::parse(reply.body);
  CHECK(body["messages"].empty());
  CHECK(body["last_id"] == 0);
  CHECK(reply.header("Cache-Control") == "no-store");
}

TEST_CASE("a poll without wait still answers at once, and a bad wait is a 400",
          "[web][long-poll]") {
  Coach coach;
  CHECK(messages_of(okr::test::http_request(coach.port, "GET", "/web/api/messages?after=0"))
            .empty());
  for (const std::string bad : {"-1", "soon", "", "1.5"}) {
    INFO(bad);
    const auto reply =
        okr::test::http_request(coach.port, "GET", "/web/api/messages?after=0&wait=" + bad);
    CHECK(reply.status == 400);
    CHECK(json::parse(reply.body)["error"] == "bad_request");
  }
}

TEST_CASE("fifty open long polls do not hold up other routes, and one message wakes them all",
          "[web][long-poll]") {
  Coach coach;
  std::vector<std::unique_ptr<HttpConnection>> waiting;
  for (int i = 0; i < 50; ++i) {
    waiting.push_back(std::make_unique<HttpConnection>(coach.port));
    REQUIRE(waiting.back()->send(
        "GET /web/api/messages?after=0&wait=15 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  }
  // Served by the same two server threads the polls went to.
  CHECK(okr::test::http_request(coach.port, "GET", "/healthz").status == 200);
  CHECK(okr::test::http_request(coach.port, "GET", "/web/api/okrs").status == 200);
  const auto mine = coach.post("help", "lp-many");
  for (auto& connection : waiting) {
    auto reply = connection->read_reply();
    REQUIRE(reply);
    const auto messages = messages_of(*reply);
    REQUIRE_FALSE(messages.empty());
    CHECK(messages[0]["id"] == mine);
  }
}

TEST_CASE("stopping the server answers open long polls instead of cutting them off",
          "[web][long-poll]") {
  Coach coach;
  auto open = coach.poll(0, 15);
  CHECK(still_waiting(open));
  coach.process->send_signal(SIGTERM);
  const auto reply = open.get();
  CHECK(reply.status == 200);
  CHECK(json::parse(reply.body)["messages"].empty());
  CHECK(coach.process->wait_exit() == 0);
  coach.process.reset();
}
