// Slack over Socket Mode end to end: the real `okr-coach serve` with SLACK_APP_TOKEN and no
// signing secret, the fake Slack Web API answering apps.connections.open with the URL of a fake
// Socket Mode server, and envelopes sent over that WebSocket instead of signed HTTP requests.
#include <signal.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/database.hpp"
#include "tests/support/draft_answers.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/fake_socket_mode.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/served_coach.hpp"
#include "tests/support/slack_posts.hpp"
#include "tests/support/temp_dir.hpp"

using nlohmann::json;
using okr::test::FakeSlack;
using okr::test::FakeSocketMode;
using okr::test::Process;
using okr::test::RecordedCall;
using okr::test::TempDir;
using okr::test::await_post;
using okr::test::draft_answer;
using okr::test::next_post;

namespace {

std::string now_seconds() {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

// The coach with Socket Mode only: a bot token and an app token, no signing secret.
class SocketCoach : public okr::test::ServedCoach {
 public:
  SocketCoach(const TempDir& dir, const FakeSlack& slack)
      : ServedCoach(dir, {{"SLACK_BOT_TOKEN", slack.token()},
                          {"SLACK_APP_TOKEN", slack.app_token()},
                          {"SLACK_API_URL", slack.api_url()}}) {}
};

json dm_event(const std::string& event_id, const std::string& text) {
  return {{"type", "event_callback"},
          {"team_id", "T0SOCK"},
          {"api_app_id", "A0SOCK"},
          {"event_id", event_id},
          {"event",
           {{"type", "message"},
            {"channel", "D0SOCK"},
            {"user", "U0PERSON"},
            {"text", text},
            {"ts", now_seconds() + ".000100"},
            {"channel_type", "im"}}}};
}

json slash_command(const std::string& text, const std::string& trigger) {
  return {{"token", "deprecated"},
          {"team_id", "T0SOCK"},
          {"team_domain", "socket"},
          {"channel_id", "C0SOCK"},
          {"channel_name", "general"},
          {"user_id", "U0PERSON"},
          {"user_name", "person"},
          {"command", "/okr"},
          {"text", text},
          {"api_app_id", "A0SOCK"},
          {"is_enterprise_install", "false"},
          {"response_url", "https://hooks.slack.invalid/commands/T0SOCK/1/abc"},
          {"trigger_id", trigger}};
}

std::size_t posts_containing(const FakeSlack& slack, const std::string& needle) {
  std::size_t count = 0;
  for (const auto& post : slack.calls_to("chat.postMessage"))
    count += post.json.value("text", "").find(needle) != std::string::npos;
  return count;
}

// A coach on Socket Mode, already connected to the fake.
// A fake Slack whose app token differs from its bot token, so that each is accepted only where
// it belongs.
FakeSlack::Options distinct_tokens() {
  FakeSlack::Options options;
  options.app_token = "xapp-1-fake-app-token-9876543210";
  return options;
}

struct SocketDm {
  TempDir dir;
  FakeSlack slack{distinct_tokens()};
  FakeSocketMode socket{slack};
  SocketCoach coach{dir, slack};
  std::size_t seen = 0;
  int event_number = 0;

  SocketDm() {
    REQUIRE(socket.wait_for_connections(1));
    wait_until_serving();
  }

  // Until the coach has taken Slack's hello (its gauge says so; the sample line, not the HELP
  // text, which begins with the same words); the limit only stops a broken run.
  void wait_until_serving() {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (coach.metrics().find("\nokr_coach_slack_socket_connected 1\n") == std::string::npos) {
      REQUIRE(std::chrono::steady_clock::now() < until);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // What a person types in the DM: an events_api envelope with a fresh event id; returns once
  // the coach acknowledged it.
  std::string say(const std::string& text) {
    const auto event_id = "EvSock" + std::to_string(++event_number);
    const auto envelope = socket.send_envelope("events_api", dm_event(event_id, text), false);
    const auto ack = socket.wait_for_ack(envelope);
    REQUIRE(ack);
    CHECK(ack->payload.is_null());
    return event_id;
  }
};

}  // namespace

TEST_CASE_METHOD(SocketDm,
                 "each Socket Mode envelope is acknowledged by its id, slash commands and modal "
                 "submissions with the answer the HTTP route would give",
                 "[slack][socket]") {
  // Without a signing secret the HTTP routes stay closed: Slack reaches us over the socket.
  {
    okr::test::HttpConnection connection(coach.port());
    const auto reply = connection.request("POST", "/slack/events", dm_event("EvHttp", "draft").dump(),
                                          {{"Content-Type", "application/json"}});
    CHECK(reply.status == 503);
    CHECK(json::parse(reply.body).at("error") == "slack_not_configured");
  }

  // An event's ack carries nothing; the reply comes through the Web API.
  say("what is a key result?");
  await_post(slack, seen, "key result", coach.process());

  const auto help = socket.send_envelope("slash_commands", slash_command("help", "trig-1"), true);
  const auto help_ack = socket.wait_for_ack(help);
  REQUIRE(help_ack);
  CHECK(help_ack->payload.value("response_type", "") == "ephemeral");
  CHECK(help_ack->payload.value("text", "").find("I'm your OKR coach") != std::string::npos);

  const auto draft = socket.send_envelope("slash_commands", slash_command("draft", "trig-2"), true);
  const auto draft_ack = socket.wait_for_ack(draft);
  REQUIRE(draft_ack);
  CHECK(draft_ack->payload.value("text", "").find("direct messages") != std::string::npos);
  await_post(slack, seen, "What do you want to achieve this cycle?", coach.process());

  const json empty_edit = {
      {"type", "view_submission"},
      {"team", {{"id", "T0SOCK"}}},
      {"user", {{"id", "U0PERSON"}, {"team_id", "T0SOCK"}}},
      {"view",
       {{"id", "V0EDIT"},
        {"type", "modal"},
        {"callback_id", "okr_edit_draft"},
        {"state",
         {{"values",
           {{"objective", {{"text", {{"type", "plain_text_input"}, {"value", ""}}}}},
            {"kr_0", {{"text", {{"type", "plain_text_input"}, {"value", ""}}}}}}}}}}}};
  const auto edit = socket.send_envelope("interactive", empty_edit, true);
  const auto edit_ack = socket.wait_for_ack(edit);
  REQUIRE(edit_ack);
  CHECK(edit_ack->payload.value("response_action", "") == "errors");
  CHECK(edit_ack->payload.at("errors").contains("objective"));
  CHECK(edit_ack->payload.at("errors").contains("kr_0"));

  // Where Slack takes no payload, the ack carries none.
  const auto quiet = socket.send_envelope("slash_commands", slash_command("help", "trig-3"), false);
  const auto quiet_ack = socket.wait_for_ack(quiet);
  REQUIRE(quiet_ack);
  CHECK(quiet_ack->payload.is_null());
  // A type we do not know is still acknowledged, so Slack does not send it again.
  const auto unknown = socket.send_envelope("something_new", json::object(), false);
  CHECK(socket.wait_for_ack(unknown));

  const auto metrics = coach.metrics();
  INFO(metrics);
  CHECK(metrics.find("\nokr_coach_slack_socket_connected 1\n") != std::string::npos);
  CHECK(metrics.find("okr_coach_slack_socket_envelopes_total{type=\"slash_commands\"} 3") !=
        std::string::npos);
  CHECK(metrics.find("okr_coach_slack_socket_envelopes_total{type=\"interactive\"} 1") !=
        std::string::npos);
  CHECK(metrics.find("okr_coach_slack_requests_total{route=\"commands\",outcome=\"help\"} 2") !=
        std::string::npos);
}

TEST_CASE_METHOD(SocketDm,
                 "a whole draft dialog runs over Socket Mode with no signing secret and no "
                 "inbound Slack HTTP",
                 "[slack][socket]") {
  say("draft");
  await_post(slack, seen, "What do you want to achieve this cycle?", coach.process());
  say("I want to help new customers succeed in their first week.");
  await_post(slack, seen, "Why does that matter to you, and why now?", coach.process());
  say("Half of our churn happens in the first month");
  await_post(slack, seen, "How will you know you got there?", coach.process());
  say("Raise week-one activation from 40% to 60%");
  RecordedCall summary;
  for (int round = 0; round < 16; ++round) {
    const auto next = next_post(slack, seen, coach.process());
    const auto text = next.json.value("text", "");
    if (text.find("Here is what I heard") != std::string::npos) {
      summary = next;
      break;
    }
    say(draft_answer(text));
  }
  REQUIRE(summary.json.is_object());
  json confirm;
  for (const auto& block : summary.json.at("blocks")) {
    if (block.at("type") != "actions")
      continue;
    for (const auto& element : block.at("elements")) {
      if (element.value("value", "") == "confirm")
        confirm = element;
    }
  }
  REQUIRE(confirm.is_object());
  const json click = {{"type", "block_actions"},
                      {"team", {{"id", "T0SOCK"}}},
                      {"user", {{"id", "U0PERSON"}, {"team_id", "T0SOCK"}}},
                      {"trigger_id", "trig-confirm"},
                      {"container",
                       {{"type", "message"},
                        {"message_ts", "1700000000.000900"},
                        {"channel_id", summary.json.at("channel")}}},
                      {"channel", {{"id", summary.json.at("channel")}}},
                      {"message",
                       {{"type", "message"},
                        {"text", summary.json.at("text")},
                        {"blocks", summary.json.at("blocks")}}},
                      {"actions", json::array({{{"action_id", confirm.at("action_id")},
                                                {"type", "button"},
                                                {"value", "confirm"},
                                                {"text", confirm.at("text")},
                                                {"action_ts", now_seconds() + ".5"}}})}};
  const auto envelope = socket.send_envelope("interactive", click, true);
  const auto ack = socket.wait_for_ack(envelope);
  REQUIRE(ack);
  CHECK(ack->payload.is_null());  // a click needs no answer: the card is updated through the API
  await_post(slack, seen, "Saved.", coach.process());
  const auto updates = slack.calls_to("chat.update");
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].json.at("ts") == "1700000000.000900");

  auto db = okr::storage::Database::open((dir / "coach.db").string());
  SQLite::Statement q(db.handle(), "SELECT text FROM key_results");
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getString().find("activation") != std::string::npos);
  // Every message came through the socket's shared steps; none over HTTP.
  const auto metrics = coach.metrics();
  INFO(metrics);
  CHECK(metrics.find("okr_coach_slack_requests_total{route=\"events\",outcome=\"accepted\"}") !=
        std::string::npos);
  CHECK(metrics.find("route=\"/slack/") == std::string::npos);
}

TEST_CASE_METHOD(SocketDm,
                 "on disconnect the coach opens a fresh connection before closing the old one, "
                 "and a payload delivered on both is processed once",
                 "[slack][socket]") {
  const auto first = say("draft");
  await_post(slack, seen, "What do you want to achieve this cycle?", coach.process());

  socket.send_disconnect("refresh_requested");
  REQUIRE(socket.wait_for_connections(2));
  REQUIRE(socket.wait_until_closed(1));
  // No gap: the replacement was up while the first still served, and the coach closed the
  // first one itself, with a close frame.
  CHECK(socket.open_when_accepted(2) == 2);
  CHECK(socket.closed_by_client(1));
  CHECK(socket.is_open(2));

  // Slack delivers the first message again on the new connection: acknowledged, not re-run.
  const auto again = socket.send_envelope("events_api", dm_event(first, "draft"), false);
  REQUIRE(socket.wait_for_ack(again));
  say("I want to help new customers succeed in their first week.");
  await_post(slack, seen, "Why does that matter to you, and why now?", coach.process());
  CHECK(posts_containing(slack, "What do you want to achieve this cycle?") == 1);
  for (const auto& ack : socket.acks()) {
    if (ack.envelope_id == again)
      CHECK(ack.connection == 2);
  }
  CHECK(slack.calls_to("apps.connections.open").size() == 2);
  CHECK(socket.tickets_refused() == 0);

  const auto metrics = coach.metrics();
  INFO(metrics);
  CHECK(metrics.find("okr_coach_slack_socket_reconnects_total{reason=\"refresh_requested\"} 1") !=
        std::string::npos);
  CHECK(metrics.find("okr_coach_slack_socket_connections_total 2") != std::string::npos);
  CHECK(metrics.find("okr_coach_inbox_duplicates_total") != std::string::npos);
}

TEST_CASE_METHOD(SocketDm,
                 "a dropped connection is replaced with a fresh URL and envelopes flow again, "
                 "without the token or the ticket in the log",
                 "[slack][socket]") {
  socket.drop();
  REQUIRE(socket.wait_for_connections(2));
  REQUIRE(socket.wait_until_closed(1));
  CHECK_FALSE(socket.closed_by_client(1));
  say("draft");
  await_post(slack, seen, "What do you want to achieve this cycle?", coach.process());
  CHECK(slack.calls_to("apps.connections.open").size() == 2);
  CHECK(socket.tickets_refused() == 0);

  // Counted before the replacement was opened, so it is there by now.
  const auto metrics = coach.metrics();
  INFO(metrics);
  CHECK(metrics.find("okr_coach_slack_socket_reconnects_total{reason=\"dropped\"} 1") !=
        std::string::npos);
  const auto log = coach.log();
  INFO(log);
  CHECK(log.find("lost") != std::string::npos);
  CHECK(log.find(slack.token()) == std::string::npos);
  CHECK(log.find("fake-ticket-") == std::string::npos);
}

TEST_CASE("when apps.connections.open fails the coach keeps trying and connects once it works",
          "[slack][socket]") {
  TempDir dir;
  FakeSlack slack(distinct_tokens());
  FakeSocketMode socket(slack);
  // Slack refuses the first URLs (as with a revoked app token), then hands them out again.
  socket.refuse_next_opens(2, "invalid_auth");
  SocketCoach coach(dir, slack);
  REQUIRE(socket.wait_for_connections(1));
  CHECK(slack.calls_to("apps.connections.open").size() == 3);
  const auto envelope =
      socket.send_envelope("slash_commands", slash_command("help", "trig-after"), true);
  REQUIRE(socket.wait_for_ack(envelope));
  const auto log = coach.log();
  INFO(log);
  CHECK(log.find("apps.connections.open failed") != std::string::npos);
  CHECK(log.find("invalid_auth") != std::string::npos);
  CHECK(log.find(slack.token()) == std::string::npos);
  CHECK(log.find(slack.app_token()) == std::string::npos);
}

TEST_CASE_METHOD(SocketDm,
                 "the app token opens the socket and the bot token makes every Web API call",
                 "[slack][socket]") {
  REQUIRE(slack.app_token() != slack.token());
  say("what is a key result?");
  await_post(slack, seen, "key result", coach.process());
  const auto calls = slack.calls();
  std::size_t opens = 0;
  std::size_t web_api = 0;
  for (const auto& call : calls) {
    INFO(call.method);
    if (call.method == "apps.connections.open") {
      ++opens;
      CHECK(call.header("Authorization") == "Bearer " + slack.app_token());
    } else if (call.method != "response_url") {
      ++web_api;
      CHECK(call.header("Authorization") == "Bearer " + slack.token());
    }
    // Both kinds were accepted, so the fake did not have to refuse a token used out of place.
    CHECK(call.accepted);
  }
  CHECK(opens >= 1);
  CHECK(web_api >= 1);
}
