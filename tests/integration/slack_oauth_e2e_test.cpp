// Slack for many workspaces end to end: the real `okr-coach serve`, a browser's install walk
// (GET /slack/install → the fake's authorize page → our callback with the cookie), signed events
// from each workspace, and the fake Slack checking which workspace's token every call carries.
#include <signal.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "bot/secrets/base64.hpp"
#include "bot/slack/signature.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/served_coach.hpp"
#include "tests/support/temp_dir.hpp"

using nlohmann::json;
using okr::test::FakeSlack;
using okr::test::FakeWorkspace;
using okr::test::HttpReply;
using okr::test::Process;
using okr::test::RecordedCall;
using okr::test::TempDir;

namespace {

const std::string kSigningSecret = "oauth-e2e-signing-secret-42";
const std::string kRedirect = "https://coach.example/slack/oauth/callback";
const std::string kKeyOne = okr::bot::secrets::base64_encode(std::string(32, '\x11'));
const std::string kKeyTwo = okr::bot::secrets::base64_encode(std::string(32, '\x22'));

std::string now_seconds() {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

FakeWorkspace workspace(const std::string& team, std::optional<int> expires_in = std::nullopt) {
  FakeWorkspace out;
  out.team_id = team;
  out.team_name = "Team " + team;
  out.bot_token = "xoxb-" + team + "-secret-bot-token-0099";
  out.bot_user_id = "UBOT" + team;
  out.expires_in = expires_in;
  return out;
}

class Coach : public okr::test::ServedCoach {
 public:
  // `key` empty: no OKR_COACH_SECRET_KEY.
  Coach(const TempDir& dir, const FakeSlack& slack, const std::string& key)
      : ServedCoach(dir, environment(slack, key)) {}

  static std::map<std::string, std::string> environment(const FakeSlack& slack,
                                                        const std::string& key) {
    std::map<std::string, std::string> env{{"SLACK_SIGNING_SECRET", kSigningSecret},
                                           {"SLACK_API_URL", slack.api_url()},
                                           {"SLACK_CLIENT_ID", "fake-client-id"},
                                           {"SLACK_CLIENT_SECRET", "fake-client-secret"},
                                           {"SLACK_REDIRECT_URL", kRedirect}};
    if (!key.empty())
      env["OKR_COACH_SECRET_KEY"] = key;
    return env;
  }

  HttpReply get(const std::string& target,
                const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return okr::test::http_request(port(), "GET", target, {}, headers);
  }

  HttpReply post_event(const json& body) {
    const auto text = body.dump();
    const auto ts = now_seconds();
    return okr::test::http_request(
        port(), "POST", "/slack/events", text,
        {{"X-Slack-Request-Timestamp", ts},
         {"X-Slack-Signature", okr::bot::slack::compute_signature(kSigningSecret, ts, text)},
         {"Content-Type", "application/json"}});
  }
};

// What a browser does between our install link and our callback, up to the callback's target
// and the cookie it carries.
struct InstallWalk {
  std::string callback_target;  // "/slack/oauth/callback?code=…&state=…"
  std::string cookie;           // "okr_slack_install=…"
};

InstallWalk walk_to_callback(Coach& coach, const FakeSlack& slack) {
  const auto start = coach.get("/slack/install");
  INFO(start.body);
  REQUIRE(start.status == 302);
  const auto location = start.header("Location").value_or("");
  REQUIRE(location.starts_with(slack.authorize_url() + "?"));
  const auto set_cookie = start.header("Set-Cookie").value_or("");
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("SameSite=Lax") != std::string::npos);
  CHECK(set_cookie.find("Secure") != std::string::npos);  // the redirect URL is https
  // Slack's page: the person clicks Allow (or Cancel, as the fake was told).
  const auto slack_page = okr::test::http_request(
      slack.port(), "GET", location.substr(location.find("/oauth/v2/authorize")));
  REQUIRE(slack_page.status == 302);
  const auto back = slack_page.header("Location").value_or("");
  REQUIRE(back.starts_with(kRedirect + "?"));
  return {back.substr(back.find("/slack/oauth/callback")),
          set_cookie.substr(0, set_cookie.find(';'))};
}

HttpReply install(Coach& coach, FakeSlack& slack, const std::string& team) {
  slack.approve_installs_into(team);
  const auto walk = walk_to_callback(coach, slack);
  return coach.get(walk.callback_target, {{"Cookie", "theme=dark; " + walk.cookie}});
}

int event_number = 0;

json dm_event(const std::string& team, const std::string& user, const std::string& text) {
  return {{"type", "event_callback"},
          {"team_id", team},
          {"api_app_id", "A0FAKEAPP"},
          {"event_id", "EvOAuth" + std::to_string(++event_number)},
          {"authorizations",
           json::array({{{"team_id", team}, {"user_id", "UBOT" + team}, {"is_bot", true}}})},
          {"event",
           {{"type", "message"},
            {"channel", "D" + user.substr(1)},
            {"user", user},
            {"text", text},
            {"ts", now_seconds() + ".000100"},
            {"channel_type", "im"}}}};
}

json uninstalled_event(const std::string& team) {
  return {{"type", "event_callback"},
          {"team_id", team},
          {"event_id", "EvGone" + std::to_string(++event_number)},
          {"event", {{"type", "app_uninstalled"}}}};
}

// The first chat.postMessage to `channel` whose text contains `needle`; fails after a generous
// deadline (a broken run, never a speed check).
RecordedCall await_post_to(const FakeSlack& slack, const std::string& channel,
                           const std::string& needle, Coach& coach) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < until) {
    for (const auto& post : slack.accepted_calls_to("chat.postMessage")) {
      if (post.json.value("channel", "") == channel &&
          post.json.value("text", "").find(needle) != std::string::npos)
        return post;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL("no accepted post to " << channel << " containing '" << needle << "'; stderr:\n"
                              << coach.process().err());
  throw std::logic_error("unreachable");
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every byte SQLite keeps for the database: the file, its write-ahead log and shared memory.
std::string database_bytes(const TempDir& dir) {
  return file_bytes(dir / "coach.db") + file_bytes(dir / "coach.db-wal") +
         file_bytes(dir / "coach.db-shm");
}

void check_no_plain_tokens(const TempDir& dir, const FakeSlack& slack,
                           const std::vector<std::string>& teams) {
  const auto bytes = database_bytes(dir);
  REQUIRE(!bytes.empty());
  for (const auto& team : teams) {
    const auto issued = slack.tokens_issued(team);
    REQUIRE(!issued.empty());
    for (const auto& token : issued) {
      INFO("token of " << team << " readable in the database file");
      CHECK(bytes.find(token) == std::string::npos);
    }
  }
  CHECK(bytes.find("xoxb-") == std::string::npos);
  CHECK(bytes.find("xoxe") == std::string::npos);
}

int installation_rows(const TempDir& dir, const std::string& team) {
  SQLite::Database db((dir / "coach.db").string(), SQLite::OPEN_READONLY);
  SQLite::Statement query(db, "SELECT COUNT(*) FROM slack_installations WHERE team_id = ?");
  query.bind(1, team);
  query.executeStep();
  return query.getColumn(0).getInt();
}

}  // namespace

TEST_CASE("one coach installed in two workspaces coaches a person in each with that workspace's "
          "token, and keeps no token readable in its database",
          "[slack][oauth][e2e]") {
  TempDir dir;
  FakeSlack slack;
  slack.add_workspace(workspace("T0ALPHA"));
  slack.add_workspace(workspace("T0BETA"));
  Coach coach(dir, slack, kKeyOne);

  const auto alpha = install(coach, slack, "T0ALPHA");
  INFO(alpha.body);
  CHECK(alpha.status == 200);
  CHECK(alpha.body.find("Team T0ALPHA") != std::string::npos);
  CHECK(alpha.header("Set-Cookie").value_or("").find("Max-Age=0") != std::string::npos);
  CHECK(install(coach, slack, "T0BETA").status == 200);
  // The code was exchanged with the app's credentials and the same redirect URL.
  const auto exchanges = slack.calls_to("oauth.v2.access");
  REQUIRE(exchanges.size() == 2);
  CHECK(exchanges[0].json.value("redirect_uri", "") == kRedirect);
  CHECK(!exchanges[0].header("Authorization"));
  const auto authorize = slack.calls_to("oauth/v2/authorize");
  REQUIRE(!authorize.empty());
  CHECK(authorize[0].json.value("scope", "").find("chat:write") != std::string::npos);
  CHECK(authorize[0].json.value("client_id", "") == "fake-client-id");

  REQUIRE(coach.post_event(dm_event("T0ALPHA", "UADA", "draft")).status == 200);
  REQUIRE(coach.post_event(dm_event("T0BETA", "UBEN", "draft")).status == 200);
  const auto to_ada = await_post_to(slack, "DADA", "What do you want to achieve", coach);
  const auto to_ben = await_post_to(slack, "DBEN", "What do you want to achieve", coach);
  CHECK(to_ada.team_id == "T0ALPHA");
  CHECK(to_ada.header("Authorization") == "Bearer " + slack.current_token("T0ALPHA"));
  CHECK(to_ben.team_id == "T0BETA");
  CHECK(to_ben.header("Authorization") == "Bearer " + slack.current_token("T0BETA"));
  // Every call the coach made for a person went out with that person's workspace token.
  for (const auto& call : slack.calls()) {
    if (call.method == "oauth.v2.access" || call.method == "oauth/v2/authorize")
      continue;
    const auto user = call.json.value("user", call.json.value("users", ""));
    if (user == "UADA")
      CHECK(call.team_id == "T0ALPHA");
    if (user == "UBEN")
      CHECK(call.team_id == "T0BETA");
  }
  CHECK(installation_rows(dir, "T0ALPHA") == 1);
  check_no_plain_tokens(dir, slack, {"T0ALPHA", "T0BETA"});
  CHECK(coach.process().err().find(slack.current_token("T0ALPHA")) == std::string::npos);
}

TEST_CASE("the install says clearly when it was denied, replayed, finished in another browser or "
          "refused by Slack",
          "[slack][oauth][e2e]") {
  TempDir dir;
  FakeSlack slack;
  slack.add_workspace(workspace("T0ALPHA"));
  Coach coach(dir, slack, kKeyOne);

  SECTION("the person clicks Cancel on Slack's page") {
    slack.approve_installs_into("T0ALPHA");
    slack.deny_next_install();
    const auto walk = walk_to_callback(coach, slack);
    const auto page = coach.get(walk.callback_target, {{"Cookie", walk.cookie}});
    CHECK(page.status == 403);
    CHECK(page.body.find("nothing was installed") != std::string::npos);
    CHECK(slack.calls_to("oauth.v2.access").empty());
  }
  SECTION("the callback is opened a second time") {
    slack.approve_installs_into("T0ALPHA");
    const auto walk = walk_to_callback(coach, slack);
    CHECK(coach.get(walk.callback_target, {{"Cookie", walk.cookie}}).status == 200);
    const auto again = coach.get(walk.callback_target, {{"Cookie", walk.cookie}});
    CHECK(again.status == 400);
    CHECK(again.body.find("start again") != std::string::npos);
    CHECK(slack.calls_to("oauth.v2.access").size() == 1);
  }
  SECTION("the callback arrives without the browser's cookie") {
    slack.approve_installs_into("T0ALPHA");
    const auto walk = walk_to_callback(coach, slack);
    CHECK(coach.get(walk.callback_target).status == 400);
    CHECK(slack.calls_to("oauth.v2.access").empty());
    CHECK(installation_rows(dir, "T0ALPHA") == 0);
  }
  SECTION("Slack refuses to exchange the code") {
    slack.approve_installs_into("T0ALPHA");
    const auto walk = walk_to_callback(coach, slack);
    slack.fail_next(1, {okr::test::FaultKind::slack_error, 1, {}, "invalid_code"});
    const auto page = coach.get(walk.callback_target, {{"Cookie", walk.cookie}});
    CHECK(page.status == 502);
    CHECK(page.body.find("did not confirm") != std::string::npos);
    CHECK(installation_rows(dir, "T0ALPHA") == 0);
  }
}

TEST_CASE("without OKR_COACH_SECRET_KEY the coach installs nothing and says how to make a key",
          "[slack][oauth][e2e]") {
  TempDir dir;
  FakeSlack slack;
  slack.add_workspace(workspace("T0ALPHA"));
  Coach coach(dir, slack, "");
  const auto page = coach.get("/slack/install");
  CHECK(page.status == 503);
  CHECK(page.body.find("openssl rand -base64 32") != std::string::npos);
  CHECK(page.body.find("OKR_COACH_SECRET_KEY") != std::string::npos);
  CHECK(slack.calls_to("oauth/v2/authorize").empty());
}

TEST_CASE("an uninstalled workspace loses its stored token and is sent nothing more",
          "[slack][oauth][e2e]") {
  TempDir dir;
  FakeSlack slack;
  slack.add_workspace(workspace("T0ALPHA"));
  Coach coach(dir, slack, kKeyOne);
  REQUIRE(install(coach, slack, "T0ALPHA").status == 200);
  REQUIRE(coach.post_event(dm_event("T0ALPHA", "UADA", "draft")).status == 200);
  await_post_to(slack, "DADA", "What do you want to achieve", coach);

  slack.revoke_tokens("T0ALPHA");
  REQUIRE(coach.post_event(uninstalled_event("T0ALPHA")).status == 200);
  coach.await_log("removed the app");
  CHECK(installation_rows(dir, "T0ALPHA") == 0);
  const auto posts_before = slack.calls_to("chat.postMessage").size();

  // Something still owed to that workspace is dead-lettered at once, not retried forever.
  REQUIRE(coach.post_event(dm_event("T0ALPHA", "UADA", "help")).status == 200);
  coach.await_log("is not installed");
  CHECK(slack.calls_to("chat.postMessage").size() == posts_before);
}

TEST_CASE("rotate-key re-seals the stored tokens under a new key and the coach carries on with it",
          "[slack][oauth][e2e]") {
  TempDir dir;
  FakeSlack slack;
  slack.add_workspace(workspace("T0ALPHA"));
  {
    Coach coach(dir, slack, kKeyOne);
    REQUIRE(install(coach, slack, "T0ALPHA").status == 200);
  }
  const auto db = (dir / "coach.db").string();

  const std::string wrong = okr::bot::secrets::base64_encode(std::string(32, '\x33'));
  const auto refused =
      okr::test::run_okr_coach({"rotate-key", "--db", db, "--old", wrong, "--new", kKeyTwo});
  CHECK(refused.exit_code != 0);
  CHECK(refused.err.find("nothing was changed") != std::string::npos);
  CHECK(refused.err.find(wrong) == std::string::npos);

  const auto rotated =
      okr::test::run_okr_coach({"rotate-key", "--db", db, "--old", kKeyOne, "--new", kKeyTwo});
  INFO(rotated.err);
  REQUIRE(rotated.exit_code == 0);
  CHECK(rotated.out.find("re-sealed 1 stored tokens") != std::string::npos);
  CHECK(rotated.out.find(kKeyTwo) == std::string::npos);
  // Run again (an interrupted rotation is simply repeated): nothing left to do.
  const auto again =
      okr::test::run_okr_coach({"rotate-key", "--db", db, "--old", kKeyOne, "--new", kKeyTwo});
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("re-sealed 0 stored tokens") != std::string::npos);

  Coach coach(dir, slack, kKeyTwo);
  REQUIRE(coach.post_event(dm_event("T0ALPHA", "UADA", "draft")).status == 200);
  const auto post = await_post_to(slack, "DADA", "What do you want to achieve", coach);
  CHECK(post.team_id == "T0ALPHA");
  check_no_plain_tokens(dir, slack, {"T0ALPHA"});
}

TEST_CASE("a rotating token about to expire is refreshed, stored sealed and used",
          "[slack][oauth][e2e]") {
  TempDir dir;
  FakeSlack slack;
  slack.add_workspace(workspace("T0GAMMA", 60));  // expires well inside the refresh margin
  Coach coach(dir, slack, kKeyOne);
  REQUIRE(install(coach, slack, "T0GAMMA").status == 200);
  const auto first = slack.current_token("T0GAMMA");
  REQUIRE(first.starts_with("xoxe.xoxb-"));
  slack.expire_tokens("T0GAMMA");  // Slack now refuses the installed token

  REQUIRE(coach.post_event(dm_event("T0GAMMA", "UGIA", "draft")).status == 200);
  const auto post = await_post_to(slack, "DGIA", "What do you want to achieve", coach);
  CHECK(post.header("Authorization") != "Bearer " + first);
  bool refreshed = false;
  for (const auto& call : slack.calls_to("oauth.v2.access"))
    refreshed = refreshed || call.json.value("grant_type", "") == "refresh_token";
  CHECK(refreshed);
  check_no_plain_tokens(dir, slack, {"T0GAMMA"});
}
