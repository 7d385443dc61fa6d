// Who reaches what, against the real `okr-coach serve`: requests that claim a Slack user without
// a valid signature never reach a handler (nothing stored, nothing said), and on the web page a
// manager of team A gets team A's digest, schedules and board but nothing of team B.
#include <signal.h>

#include <SQLiteCpp/Database.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/slack/signature.hpp"
#include "dialogs/recurrence.hpp"
#include "storage/check_ins.hpp"
#include "storage/cycles.hpp"
#include "storage/database.hpp"
#include "storage/memberships.hpp"
#include "storage/objectives.hpp"
#include "storage/people.hpp"
#include "storage/reflections.hpp"
#include "storage/schedules.hpp"
#include "storage/teams.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using nlohmann::json;
using okr::test::FakeSlack;
using okr::test::Process;
using okr::test::TempDir;
using Headers = std::vector<std::pair<std::string, std::string>>;

namespace {

const std::string kSecret = "authz-signing-secret-0123456789";

std::string now_seconds(long offset = 0) {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
      offset);
}

// `serve` on a free port with its own database and `env`; stopped (SIGTERM) when the test ends.
struct Serve {
  std::optional<Process> process;
  std::uint16_t port = 0;
  Serve(const std::string& db, const std::map<std::string, std::string>& env) {
    process.emplace(okr::test::okr_coach_binary(),
                    okr::test::okr_coach_options({"serve", "--listen", "127.0.0.1:0", "--db", db}, env));
    const auto line = process->wait_for_line("listening on http://");
    REQUIRE(line);
    port = okr::test::listening_port(*line).value_or(0);
    REQUIRE(port != 0);
  }
  ~Serve() { stop(); }
  void stop() {
    if (!process)
      return;
    process->send_signal(SIGTERM);
    process->wait_exit();
    process.reset();
  }
  okr::test::HttpReply request(const std::string& method, const std::string& path, const std::string& body = {},
                               const Headers& headers = {}) {
    return okr::test::http_request(port, method, path, body, headers);
  }
};

std::string forged_event(const std::string& user, const std::string& event_id) {
  return json{{"type", "event_callback"},
              {"team_id", "T0AUTH"},
              {"api_app_id", "A0AUTH"},
              {"event_id", event_id},
              {"event",
               {{"type", "message"},
                {"channel", "D0" + user},
                {"user", user},
                {"text", "export"},
                {"ts", now_seconds() + ".000100"},
                {"channel_type", "im"}}}}
      .dump();
}

std::string forged_command(const std::string& user) {
  return "command=%2Fokr&text=forget-me+yes&team_id=T0AUTH&channel_id=D0" + user + "&user_id=" + user +
         "&user_name=x&response_url=http%3A%2F%2F127.0.0.1%3A9%2Fnowhere&trigger_id=1.2.3";
}

std::string forged_click(const std::string& user) {
  const auto payload = json{{"type", "block_actions"},
                            {"team", {{"id", "T0AUTH"}}},
                            {"user", {{"id", user}}},
                            {"channel", {{"id", "D0" + user}}},
                            {"actions", json::array({{{"action_id", "say"}, {"value", "forget-me yes"}}})}}
                           .dump();
  std::string encoded;
  for (unsigned char c : payload) {
    if (std::isalnum(c)) {
      encoded += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      encoded += hex;
    }
  }
  return "payload=" + encoded;
}

int count(const std::string& db, const std::string& sql, const std::string& value) {
  SQLite::Database file(db, SQLite::OPEN_READONLY);
  SQLite::Statement q(file, sql);
  q.bind(1, value);
  q.executeStep();
  return q.getColumn(0).getInt();
}

}  // namespace

TEST_CASE("a forged Slack user id in an unsigned or wrongly signed request never reaches a handler",
          "[authorization][slack]") {
  TempDir dir;
  FakeSlack slack;
  const auto db = (dir / "coach.db").string();
  Serve serve(db, {{"SLACK_SIGNING_SECRET", kSecret},
                   {"SLACK_BOT_TOKEN", slack.token()},
                   {"SLACK_API_URL", slack.api_url()}});

  struct Attempt {
    std::string name;
    std::string secret;  // empty: no signature headers at all
    long clock_offset;
  };
  const std::vector<Attempt> attempts = {{"unsigned", "", 0},
                                         {"signed with another secret", "not-the-secret-0123456789", 0},
                                         {"signed correctly but an hour old", kSecret, -3600}};
  int n = 0;
  for (const auto& attempt : attempts) {
    for (const std::string path : {"/slack/events", "/slack/commands", "/slack/interactive"}) {
      const auto user = "UFORGED" + std::to_string(++n);
      const auto body = path == "/slack/events"     ? forged_event(user, "EvForged" + std::to_string(n))
                        : path == "/slack/commands" ? forged_command(user)
                                                    : forged_click(user);
      Headers headers = {{"Content-Type", path == "/slack/events" ? "application/json"
                                                                  : "application/x-www-form-urlencoded"}};
      if (!attempt.secret.empty()) {
        const auto ts = now_seconds(attempt.clock_offset);
        headers.emplace_back("X-Slack-Request-Timestamp", ts);
        headers.emplace_back("X-Slack-Signature", okr::bot::slack::compute_signature(attempt.secret, ts, body));
      }
      INFO(attempt.name << " " << path);
      const auto reply = serve.request("POST", path, body, headers);
      CHECK(reply.status == 401);
      CHECK(reply.body.find(user) == std::string::npos);
    }
  }

  // A correctly signed event goes through (so the refusals above are about the signature).
  const auto body = forged_event("UREAL1", "EvReal1");
  const auto ts = now_seconds();
  const auto accepted = serve.request("POST", "/slack/events", body,
                                      {{"Content-Type", "application/json"},
                                       {"X-Slack-Request-Timestamp", ts},
                                       {"X-Slack-Signature", okr::bot::slack::compute_signature(kSecret, ts, body)}});
  CHECK(accepted.status == 200);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (slack.calls_to("chat.postMessage").empty() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  serve.stop();

  CHECK(count(db, "SELECT count(*) FROM people WHERE user_ref = ?", "UREAL1") == 1);
  CHECK(count(db, "SELECT count(*) FROM people WHERE user_ref LIKE ?", "UFORGED%") == 0);
  CHECK(count(db, "SELECT count(*) FROM inbox WHERE payload LIKE ?", "%UFORGED%") == 0);
  for (const auto& call : slack.calls()) CHECK(call.json.dump().find("UFORGED") == std::string::npos);
}

namespace {

// Alpha: the web person ("you") is its manager, ann a member. Bravo: bea a member, with a
// schedule of her own. Everyone has an objective, a check-in and a reflection in their words.
void seed_two_teams(const std::string& path, const std::string& web_role) {
  using okr::dialogs::Role;
  auto db = okr::storage::Database::open(path);
  db.migrate();
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  auto add = [&](const std::string& team_name, const std::string& platform, const std::string& user, Role role) {
    const auto team = okr::storage::Teams(db).find_or_create(team_name);
    okr::dialogs::Person identity;
    identity.platform = platform;
    identity.workspace = platform == "web" ? "local" : "T0AUTH";
    identity.user_ref = user;
    identity.display_name = user;
    const auto p = okr::storage::People(db).find_or_create(identity);
    okr::storage::Memberships(db).grant(team.id, p.id, role, now - std::chrono::days{30});
    okr::dialogs::Objective o;
    o.person_id = p.id;
    o.team_id = team.id;
    o.cycle_id = okr::storage::Cycles(db).current(team.id, team.settings, now).id;
    o.text = "objective words of " + user;
    okr::dialogs::KeyResult kr;
    kr.text = "key result words of " + user;
    kr.baseline = 0;
    kr.target = 10;
    o.key_results.push_back(kr);
    const auto saved = okr::storage::Objectives(db).add(o);
    okr::dialogs::CheckIn c;
    c.key_result_id = saved.key_results.at(0).id;
    c.person_id = p.id;
    c.value = 4;
    c.confidence = 3;
    c.blockers = "blocker words of " + user;
    c.at = now - std::chrono::hours{2};
    okr::storage::CheckIns(db).record(c);
    okr::dialogs::Reflection r;
    r.person_id = p.id;
    r.learned = "reflection words of " + user;
    r.at = now - std::chrono::hours{1};
    okr::storage::Reflections(db).add(r);
    return std::make_pair(team.id, p.id);
  };
  add("Alpha", "web", "you", web_role == "manager" ? Role::manager : Role::member);
  add("Alpha", "slack", "ann", Role::member);
  const auto [bravo, bea] = add("Bravo", "slack", "bea", Role::member);
  okr::dialogs::Schedule s;
  s.kind = okr::dialogs::ScheduleKind::reflect;
  s.team_id = bravo;
  s.person_id = bea;
  s.recurrence = *okr::dialogs::parse_recurrence("weekly fri 16:00");
  okr::storage::Schedules(db).add(s, now);
}

}  // namespace

TEST_CASE("on the web page a manager of team A gets nothing of team B, and a member no digest",
          "[authorization][web]") {
  TempDir dir;
  const auto db = (dir / "coach.db").string();
  SECTION("manager") {
    seed_two_teams(db, "manager");
    Serve serve(db, {});
    std::string everything;
    for (const char* path : {"/web/api/digest", "/web/api/schedules", "/web/api/okrs"}) {
      const auto reply = serve.request("GET", path);
      INFO(path << " " << reply.body);
      CHECK(reply.status == 200);
      everything += reply.body;
    }
    CHECK_THAT(everything, Catch::Contains("Alpha"));
    CHECK_THAT(everything, Catch::Contains("objective words of ann"));  // the search can succeed
    for (const char* bravo : {"Bravo", "bea", "reflection words of ann"}) {
      INFO(bravo);
      CHECK(everything.find(bravo) == std::string::npos);
    }
    // No key result of Bravo's has a history on this board.
    SQLite::Database file(db, SQLite::OPEN_READONLY);
    const auto bea_kr = file.execAndGet("SELECT id FROM key_results WHERE text = 'key result words of bea'").getInt64();
    CHECK(serve.request("GET", "/web/api/history?key_result=" + std::to_string(bea_kr)).status == 404);
  }
  SECTION("member") {
    seed_two_teams(db, "member");
    Serve serve(db, {});
    const auto reply = serve.request("GET", "/web/api/digest");
    CHECK(reply.status == 403);
    CHECK(reply.body.find("blocker words of ann") == std::string::npos);
  }
}
