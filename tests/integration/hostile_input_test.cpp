// Hostile and broken input gets a clear answer (issue 8, property 3). The real `okr-coach serve`
// with Slack, Teams and the token-guarded web API configured is sent, on every endpoint, what
// attackers and broken clients send: missing, forged and stale credentials, wrong content types,
// broken JSON and UTF-8, oversized bodies and headers, a trickling client, a flood of idle
// connections, and answers full of emoji, right-to-left text and SQL. Each row expects the
// documented status (and error code); afterwards the process is still up, the database passes
// PRAGMA integrity_check, and stored answers come back byte for byte.
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "bot/slack/form.hpp"
#include "bot/slack/signature.hpp"
#include "storage/database.hpp"
#include "tests/support/fake_bot_connector.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/fake_teams_identity.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using nlohmann::json;
using okr::test::FakeBotConnector;
using okr::test::FakeSlack;
using okr::test::FakeTeamsIdentity;
using okr::test::HttpConnection;
using okr::test::HttpReply;
using okr::test::Process;
using okr::test::TempDir;
using Headers = std::vector<std::pair<std::string, std::string>>;
using std::chrono::milliseconds;

namespace {

const std::string kSecret = "hostile-signing-secret-0123456789";
const std::string kWebToken = "hostile-web-token-0123456789abcdef";

std::int64_t epoch_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The coach with every channel on, listening on all interfaces so the web API needs its token,
// and with short read deadlines and a small connection cap so the slow-client and flood rows
// finish quickly.
struct Hostile {
  TempDir dir;
  FakeSlack slack;
  FakeTeamsIdentity identity;
  FakeBotConnector connector;
  std::unique_ptr<Process> coach;
  std::uint16_t port = 0;

  explicit Hostile(std::map<std::string, std::string> limits = {}) {
    std::map<std::string, std::string> env = {
        {"SLACK_SIGNING_SECRET", kSecret},
        {"SLACK_BOT_TOKEN", slack.token()},
        {"SLACK_API_URL", slack.api_url()},
        {"TEAMS_APP_ID", identity.options().app_id},
        {"TEAMS_APP_PASSWORD", identity.options().app_password},
        {"TEAMS_OPENID_URL", identity.openid_url()},
        {"TEAMS_TOKEN_URL", identity.token_url()},
        {"OKR_COACH_WEB_TOKEN", kWebToken},
        {"OKR_COACH_READ_TIMEOUT_MS", "1500"},
    };
    for (auto& [name, value] : limits)
      env[name] = value;
    coach = std::make_unique<Process>(
        okr::test::okr_coach_binary(),
        okr::test::okr_coach_options(
            {"serve", "--listen", "0.0.0.0:0", "--db", (dir / "coach.db").string()}, env));
    const auto line = coach->wait_for_line("listening on http://");
    REQUIRE(line);
    const auto bound = okr::test::listening_port(*line);
    REQUIRE(bound);
    port = *bound;
  }
  ~Hostile() {
    coach->send_signal(SIGTERM);
    coach->wait_exit();
  }

  std::string log() {
    coach->wait_for_line("\x01 never logged", okr::test::Stream::err, milliseconds(100));
    return coach->err();
  }

  // The process is still running and answers /healthz.
  void check_alive() {
    CHECK_FALSE(coach->wait_exit(milliseconds(1)).has_value());
    CHECK(okr::test::http_request(port, "GET", "/healthz").status == 200);
  }

  void check_database() {
    auto db = okr::storage::Database::open((dir / "coach.db").string());
    SQLite::Statement q(db.handle(), "PRAGMA integrity_check");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "ok");
  }
};

Headers slack_signed(const std::string& body, std::int64_t at = epoch_seconds(),
                     const std::string& secret = kSecret) {
  const auto ts = std::to_string(at);
  return {{"X-Slack-Request-Timestamp", ts},
          {"X-Slack-Signature", okr::bot::slack::compute_signature(secret, ts, body)}};
}

Headers with(Headers headers, const std::string& name, const std::string& value) {
  headers.emplace_back(name, value);
  return headers;
}

std::string dm_event(const std::string& id, const std::string& text,
                     const std::string& type = "message") {
  return json{{"type", "event_callback"},
              {"team_id", "T0HOSTILE"},
              {"event_id", id},
              {"event",
               {{"type", type},
                {"channel", "DHOSTILE1"},
                {"user", "UHOSTILE1"},
                {"text", text},
                {"ts", std::to_string(epoch_seconds()) + ".000100"},
                {"channel_type", "im"}}}}
      .dump();
}

std::string slash_body(const std::string& text) {
  using okr::bot::slack::form_encode;
  return "token=x&team_id=T0HOSTILE&channel_id=C0HOSTILE&user_id=UHOSTILE1&command=%2Fokr&text=" +
         form_encode(text) + "&response_url=" +
         form_encode("http://127.0.0.1:9/response/hostile") + "&trigger_id=trig-" + form_encode(text);
}

std::string teams_activity(const FakeBotConnector& connector, const std::string& type,
                           const std::string& text) {
  return json{{"type", type},
              {"id", "hostile-" + type + "-" + std::to_string(text.size())},
              {"text", text},
              {"serviceUrl", connector.service_url()},
              {"channelId", "msteams"},
              {"from", {{"id", "29:hostile"}, {"name", "Hostile"}}},
              {"recipient", {{"id", "28:coach"}, {"name", "OKR Coach"}}},
              {"conversation",
               {{"id", "a:hostile"}, {"conversationType", "personal"}, {"tenantId", "t-hostile"}}},
              {"channelData", {{"tenant", {{"id", "t-hostile"}}}}}}
      .dump();
}

struct Row {
  std::string name;
  std::string method;
  std::string path;
  Headers headers;
  std::string body;
  int status;
  std::string error;  // expected "error" code of a JSON error answer; empty = not checked
};

const std::string kInvalidUtf8 = std::string("bad \xC3\x28 bytes \xFF\xFE end");

}  // namespace

TEST_CASE("every endpoint answers hostile requests with its documented status and stays up",
          "[hostile]") {
  Hostile h;
  const std::string slack_ok = dm_event("EvHostileOk", "help");
  const std::string teams_ok = teams_activity(h.connector, "message", "help");
  const auto teams_bearer =
      "Bearer " + h.identity.token(h.identity.claims(h.connector.service_url(), epoch_seconds()));
  const Headers json_type = {{"Content-Type", "application/json"}};
  const Headers form_type = {{"Content-Type", "application/x-www-form-urlencoded"}};
  const Headers web_auth = {{"Authorization", "Bearer " + kWebToken},
                            {"Content-Type", "application/json"}};
  const std::string truncated = slack_ok.substr(0, slack_ok.size() / 2);
  const std::string bad_utf8_event = std::string(R"({"type":"event_callback","team_id":"T0H",)") +
                                     R"("event_id":"EvUtf","event":{"type":"message",)" +
                                     R"("channel":"DHOSTILE1","user":"UHOSTILE1","text":")" +
                                     kInvalidUtf8 + R"(","ts":"1.1","channel_type":"im"}})";
  const std::string interactive_garbage = "payload=" + okr::bot::slack::form_encode("{not json");
  const std::string interactive_unknown =
      "payload=" + okr::bot::slack::form_encode(
                       json{{"type", "message_action_from_the_future"},
                            {"team", {{"id", "T0HOSTILE"}}},
                            {"user", {{"id", "UHOSTILE1"}}}}
                           .dump());

  const std::vector<Row> rows = {
      // Slack events
      {"events: no signature", "POST", "/slack/events", json_type, slack_ok, 401,
       "invalid_signature"},
      {"events: forged signature", "POST", "/slack/events",
       with(slack_signed(slack_ok, epoch_seconds(), "not-the-secret"), "Content-Type",
            "application/json"),
       slack_ok, 401, "invalid_signature"},
      {"events: stale timestamp (10 minutes old)", "POST", "/slack/events",
       with(slack_signed(slack_ok, epoch_seconds() - 600), "Content-Type", "application/json"),
       slack_ok, 401, "invalid_signature"},
      {"events: signature over other bytes", "POST", "/slack/events",
       with(slack_signed(slack_ok + " "), "Content-Type", "application/json"), slack_ok, 401,
       "invalid_signature"},
      {"events: malformed JSON", "POST", "/slack/events",
       with(slack_signed("{\"type\": event_callback"), "Content-Type", "application/json"),
       "{\"type\": event_callback", 400, "malformed_request"},
      {"events: truncated JSON", "POST", "/slack/events",
       with(slack_signed(truncated), "Content-Type", "application/json"), truncated, 400,
       "malformed_request"},
      {"events: invalid UTF-8", "POST", "/slack/events",
       with(slack_signed(bad_utf8_event), "Content-Type", "application/json"), bad_utf8_event,
       400, "malformed_request"},
      {"events: JSON that is not an object", "POST", "/slack/events",
       with(slack_signed("[1,2,3]"), "Content-Type", "application/json"), "[1,2,3]", 400,
       "malformed_request"},
      {"events: unknown event type is acknowledged and ignored", "POST", "/slack/events",
       with(slack_signed(dm_event("EvHostileUnknown", "x", "reaction_added_v9")), "Content-Type",
            "application/json"),
       dm_event("EvHostileUnknown", "x", "reaction_added_v9"), 200, ""},
      {"events: GET is not allowed", "GET", "/slack/events", {}, "", 405, ""},
      // Slack commands
      {"commands: no signature", "POST", "/slack/commands", form_type, slash_body("draft"), 401,
       "invalid_signature"},
      {"commands: unknown command gets the help list", "POST", "/slack/commands",
       with(slack_signed(slash_body("frobnicate --all")), "Content-Type",
            "application/x-www-form-urlencoded"),
       slash_body("frobnicate --all"), 200, ""},
      {"commands: broken form encoding", "POST", "/slack/commands",
       with(slack_signed("text=%zz&user_id"), "Content-Type", "application/x-www-form-urlencoded"),
       "text=%zz&user_id", 400, "malformed_request"},
      // Slack interactivity
      {"interactive: forged signature", "POST", "/slack/interactive",
       with(slack_signed(interactive_garbage, epoch_seconds(), "nope"), "Content-Type",
            "application/x-www-form-urlencoded"),
       interactive_garbage, 401, "invalid_signature"},
      {"interactive: payload is not JSON", "POST", "/slack/interactive",
       with(slack_signed(interactive_garbage), "Content-Type",
            "application/x-www-form-urlencoded"),
       interactive_garbage, 400, "malformed_request"},
      {"interactive: no payload field", "POST", "/slack/interactive",
       with(slack_signed("nothing=here"), "Content-Type", "application/x-www-form-urlencoded"),
       "nothing=here", 400, "malformed_request"},
      {"interactive: unknown payload type is acknowledged", "POST", "/slack/interactive",
       with(slack_signed(interactive_unknown), "Content-Type",
            "application/x-www-form-urlencoded"),
       interactive_unknown, 200, ""},
      // Teams
      {"teams: no token", "POST", "/api/messages", json_type, teams_ok, 401, "unauthorized"},
      {"teams: garbage token", "POST", "/api/messages",
       with(json_type, "Authorization", "Bearer a.b.c"), teams_ok, 401, "unauthorized"},
      {"teams: not a bearer token", "POST", "/api/messages",
       with(json_type, "Authorization", "Basic dXNlcjpwYXNz"), teams_ok, 401, "unauthorized"},
      // A body that is not JSON has no serviceUrl to check the token against: refused as 401
      // before anything reads it further (the same for invalid UTF-8 below).
      {"teams: malformed JSON", "POST", "/api/messages",
       with(json_type, "Authorization", teams_bearer), "{\"type\":\"message\",", 401, ""},
      {"teams: unknown activity type is acknowledged", "POST", "/api/messages",
       with(json_type, "Authorization", teams_bearer),
       teams_activity(h.connector, "holographicCall", "x"), 200, ""},
      {"teams: invalid UTF-8 in the text", "POST", "/api/messages",
       with(json_type, "Authorization", teams_bearer),
       teams_activity(h.connector, "message", "a").replace(
           teams_activity(h.connector, "message", "a").find("\"text\":\"a\""), 10,
           "\"text\":\"" + kInvalidUtf8 + "\""),
       401, "unauthorized"},
      // Web API
      {"web: no token", "POST", "/web/api/messages", json_type, R"({"text":"draft"})", 401,
       "unauthorized"},
      {"web: wrong token", "POST", "/web/api/messages",
       with(json_type, "Authorization", "Bearer wrong-token"), R"({"text":"draft"})", 401,
       "unauthorized"},
      {"web: token as a cookie that is not the session", "GET", "/web/api/okrs",
       {{"Cookie", "okr_session=" + kWebToken}}, "", 401, "unauthorized"},
      {"web: wrong content type", "POST", "/web/api/messages",
       {{"Authorization", "Bearer " + kWebToken}, {"Content-Type", "text/plain"}},
       R"({"text":"draft"})", 415, "unsupported_media_type"},
      {"web: malformed JSON", "POST", "/web/api/messages", web_auth, R"({"text":)", 400,
       "bad_request"},
      {"web: truncated JSON", "POST", "/web/api/messages", web_auth, R"({"text":"dra)", 400,
       "bad_request"},
      {"web: invalid UTF-8", "POST", "/web/api/messages", web_auth,
       "{\"text\":\"" + kInvalidUtf8 + "\"}", 400, "bad_request"},
      {"web: text is not a string", "POST", "/web/api/messages", web_auth, R"({"text":42})", 400,
       "bad_request"},
      {"web: text over 4000 characters", "POST", "/web/api/messages", web_auth,
       json{{"text", std::string(4001, 'a')}}.dump(), 400, "bad_request"},
      {"web: body over the route's 16 KiB", "POST", "/web/api/messages", web_auth,
       json{{"text", std::string(20'000, 'a')}}.dump(), 413, ""},
      {"web: key result history of a non-number", "GET", "/web/api/history?key_result=1%27%20OR%201=1",
       web_auth, "", 400, "bad_request"},
      // Operations endpoints
      {"healthz", "GET", "/healthz", {}, "", 200, ""},
      {"readyz", "GET", "/readyz", {}, "", 200, ""},
      {"metrics", "GET", "/metrics", {}, "", 200, ""},
      {"healthz: POST", "POST", "/healthz", json_type, "{}", 405, ""},
      {"unknown path with SQL in it", "GET", "/web/api/okrs';DROP%20TABLE%20people;--", web_auth,
       "", 404, "not_found"},
  };

  for (const auto& row : rows) {
    INFO(row.name);
    HttpConnection connection(h.port);
    const auto reply = connection.request(row.method, row.path, row.body, row.headers);
    INFO("answered " << reply.status << ": " << reply.body.substr(0, 300));
    CHECK(reply.status == row.status);
    if (!row.error.empty()) {
      const auto body = json::parse(reply.body, nullptr, false);
      REQUIRE(body.is_object());
      CHECK(body.value("error", "") == row.error);
      CHECK_FALSE(body.value("message", "").empty());
    }
    // No answer repeats a secret.
    CHECK(reply.body.find(kSecret) == std::string::npos);
    CHECK(reply.body.find(kWebToken) == std::string::npos);
  }
  const auto log = h.log();
  CHECK(log.find(kSecret) == std::string::npos);
  CHECK(log.find(kWebToken) == std::string::npos);
  h.check_alive();
  h.check_database();
}

TEST_CASE("a 10 MB body is refused with 413 before it is read", "[hostile]") {
  Hostile h;
  for (const char* path :
       {"/slack/events", "/slack/commands", "/slack/interactive", "/api/messages",
        "/web/api/messages"}) {
    INFO(path);
    HttpConnection connection(h.port);
    // Only the head is sent: the answer must come without the server waiting for the body.
    REQUIRE(connection.send(std::string("POST ") + path +
                            " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            "Content-Length: 10485760\r\n\r\n"));
    const auto reply = connection.read_reply();
    REQUIRE(reply);
    CHECK(reply->status == 413);
  }
  h.check_alive();
}

TEST_CASE("a header block beyond the limit is refused with 431", "[hostile]") {
  Hostile h;
  HttpConnection connection(h.port);
  REQUIRE(connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " +
                          std::string(20 * 1024, 'p') + "\r\n\r\n"));
  const auto reply = connection.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 431);
  HttpConnection many(h.port);
  std::string head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 2000; ++i)
    head += "X-H" + std::to_string(i) + ": v\r\n";
  REQUIRE(many.send(head + "\r\n"));
  const auto crowded = many.read_reply();
  REQUIRE(crowded);
  CHECK(crowded->status == 431);
  h.check_alive();
}

TEST_CASE("a header block sent in small pieces is refused with 431 once the whole is too large",
          "[hostile]") {
  Hostile h;
  HttpConnection connection(h.port);
  // Each piece holds only whole fields, far below the limit: what counts is the header's total
  // (Beast alone judges each parse step, which keeps only the unfinished fields).
  REQUIRE(connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  bool refused_early = false;
  for (int piece = 0; piece < 40 && !refused_early; ++piece) {
    std::string fields;
    for (int i = 0; i < 40; ++i)
      fields += "X-P" + std::to_string(piece) + "-" + std::to_string(i) + ": vvvvvvvvvv\r\n";
    // Pauses so the pieces arrive as separate reads; a send failing means the server already
    // answered and closed, which is the refusal this test wants to see.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    refused_early = !connection.send(fields);
  }
  if (!refused_early)
    connection.send("\r\n");
  const auto reply = connection.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 431);
  h.check_alive();
}

TEST_CASE("a client sending one byte at a time is timed out with 408", "[hostile]") {
  Hostile h;  // read timeout 1.5 s
  HttpConnection connection(h.port);
  const std::string request =
      "POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n" +
      std::string(100, 'x');
  std::optional<HttpReply> reply;
  // One byte every 400 ms: after five the read deadline has passed with the request unfinished.
  for (std::size_t i = 0; i < 5; ++i) {
    if (!connection.send(request.substr(i, 1)))
      break;  // the server already gave up on us; its answer is waiting
    std::this_thread::sleep_for(milliseconds(400));
  }
  reply = connection.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 408);
  h.check_alive();
}

// The coach logs a line per refused connection: its stderr pipe is drained as we go (h.log()),
// or a full pipe would stall its logger and look like a hung server.
TEST_CASE("thousands of idle connections are capped and /healthz answers again",
          "[hostile][flood]") {
  // The test process (and the coach it starts) may hold a few thousand sockets.
  rlimit files{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &files) == 0);
  files.rlim_cur = std::min<rlim_t>(files.rlim_max, 8192);
  setrlimit(RLIMIT_NOFILE, &files);
  const int flood = static_cast<int>(std::min<rlim_t>(files.rlim_cur / 2 - 100, 2000));
  REQUIRE(flood > 500);
  Hostile h({{"OKR_COACH_MAX_CONNECTIONS", "300"}, {"OKR_COACH_READ_TIMEOUT_MS", "4000"}});
  std::vector<std::unique_ptr<HttpConnection>> idle;
  for (int i = 0; i < flood; ++i)
    idle.push_back(std::make_unique<HttpConnection>(h.port));
  // Connections beyond the cap are answered 503 and closed at once; the rest wait. (Read in
  // a bounded time: on a loaded machine some may still sit in the listen queue.)
  int refused = 0;
  int unanswered = 0;
  const auto reading_until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  for (int i = 300 + 50; i < flood && std::chrono::steady_clock::now() < reading_until; ++i) {
    if (i % 100 == 0)
      h.log();
    try {
      const auto reply = idle[static_cast<std::size_t>(i)]->read_reply(milliseconds(500));
      refused += reply && reply->status == 503;
    } catch (const std::exception&) {
      ++unanswered;
    }
  }
  INFO("flood " << flood << ", refused " << refused << ", unanswered " << unanswered);
  CHECK(refused > 0);
  // The held ones time out (408) after the read deadline, and the service answers again.
  bool healthy = false;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!healthy && std::chrono::steady_clock::now() < until) {
    try {
      healthy = okr::test::http_request(h.port, "GET", "/healthz").status == 200;
    } catch (const std::exception&) {
    }
    if (!healthy)
      h.log();
  }
  CHECK(healthy);
  idle.clear();
  h.log();
  h.check_alive();
}

TEST_CASE("long, emoji, right-to-left and SQL-laden answers are stored and come back byte-exact",
          "[hostile]") {
  Hostile h;
  const std::vector<std::string> answers = {
      "Grow revenue 🚀📈 by 20% — with the team 👩‍👩‍👧‍👦 and 🇵🇹",
      "نريد زيادة رضا العملاء في الأسبوع الأول",
      "לשפר את חוויית הלקוח \u202Ereversed\u202C mixed עם English",
      "Robert'); DROP TABLE objectives; -- \" OR 1=1; /* %_ \\ ` $1 ?",
      "tabs\tand\nnew lines\r\nand a \u0001 control",
  };
  // Web API: what the person wrote is stored and read back exactly.
  const Headers web_auth = {{"Authorization", "Bearer " + kWebToken},
                            {"Content-Type", "application/json"}};
  for (const auto& text : answers) {
    INFO(text);
    HttpConnection connection(h.port);
    const auto posted =
        connection.request("POST", "/web/api/messages", json{{"text", text}}.dump(), web_auth);
    CHECK(posted.status == 202);
  }
  HttpConnection reader(h.port);
  const auto history = reader.request("GET", "/web/api/messages?after=0", {}, web_auth);
  REQUIRE(history.status == 200);
  INFO(history.body.substr(0, 2000));
  const auto lines = json::parse(history.body);
  std::vector<std::string> mine;
  for (const auto& line : lines.at("messages")) {
    if (line.value("author", "") == "person")
      mine.push_back(line.at("message").value("text", ""));
  }
  REQUIRE(mine.size() == answers.size());
  for (std::size_t i = 0; i < answers.size(); ++i)
    CHECK(mine[i] == answers[i]);

  // Slack: a 40,000-character answer to the draft's first question, full of all of the above.
  std::string long_answer;
  while (long_answer.size() < 40'000) {
    for (const auto& text : answers)
      long_answer += text + " ";
  }
  auto say = [&](const std::string& id, const std::string& text) {
    const auto body = dm_event(id, text);
    HttpConnection connection(h.port);
    return connection
        .request("POST", "/slack/events", body,
                 with(slack_signed(body), "Content-Type", "application/json"))
        .status;
  };
  REQUIRE(say("EvLong1", "draft") == 200);
  REQUIRE(say("EvLong2", long_answer) == 200);
  // The coach answers both turns (whatever it makes of the answer) and stays up.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (h.slack.accepted_calls_to("chat.postMessage").size() < 2 &&
         std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(milliseconds(50));
  INFO(h.log());
  CHECK(h.slack.accepted_calls_to("chat.postMessage").size() >= 2);
  {
    auto db = okr::storage::Database::open((h.dir / "coach.db").string());
    SQLite::Statement q(db.handle(), "SELECT payload FROM inbox WHERE event_key = 'EvLong2'");
    REQUIRE(q.executeStep());
    CHECK(json::parse(q.getColumn(0).getString()).at("text").get<std::string>() == long_answer);
  }
  h.check_alive();
  h.check_database();
}
