// The Slack channel end to end: the real `okr-coach serve` subprocess, signed requests over
// loopback, and the fake Slack Web API (SLACK_API_URL) receiving what the coach posts.
#include <signal.h>

#include <chrono>
#include <map>
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
#include "tests/support/draft_answers.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/served_coach.hpp"
#include "tests/support/slack_posts.hpp"
#include "tests/support/temp_dir.hpp"

using nlohmann::json;
using okr::test::FakeSlack;
using okr::test::Process;
using okr::test::RecordedCall;
using okr::test::TempDir;
using okr::test::await_calls;
using okr::test::await_post;
using okr::test::draft_answer;
using okr::test::next_post;

namespace {

const std::string kSecret = "e2e-signing-secret-0123456789";

std::string now_seconds() {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

std::map<std::string, std::string> slack_env(const FakeSlack* slack,
                                             std::map<std::string, std::string> env) {
  if (slack) {
    env["SLACK_SIGNING_SECRET"] = kSecret;
    env["SLACK_BOT_TOKEN"] = slack->token();
    env["SLACK_API_URL"] = slack->api_url();
  }
  return env;
}

// The served coach with the Slack settings pointing at `slack` (none when null), plus `env`.
class Coach : public okr::test::ServedCoach {
 public:
  Coach(const TempDir& dir, const FakeSlack* slack, std::map<std::string, std::string> env = {})
      : ServedCoach(dir, slack_env(slack, std::move(env))) {}

  okr::test::HttpReply post(const std::string& path, const std::string& body,
                            const std::string& secret = kSecret,
                            std::vector<std::pair<std::string, std::string>> extra = {}) {
    const auto ts = now_seconds();
    auto headers = std::move(extra);
    headers.emplace_back("X-Slack-Request-Timestamp", ts);
    headers.emplace_back("X-Slack-Signature", okr::bot::slack::compute_signature(secret, ts, body));
    headers.emplace_back("Content-Type", path == "/slack/events"
                                             ? "application/json"
                                             : "application/x-www-form-urlencoded");
    return request("POST", path, body, headers);
  }
};

// `user` writing `text` in their DM `channel` with the bot.
std::string dm_event_from(const std::string& user, const std::string& channel,
                          const std::string& event_id, const std::string& text) {
  return json{{"type", "event_callback"},
              {"team_id", "T0E2E"},
              {"api_app_id", "A0E2E"},
              {"event_id", event_id},
              {"event",
               {{"type", "message"},
                {"channel", channel},
                {"user", user},
                {"text", text},
                {"ts", now_seconds() + ".000100"},
                {"channel_type", "im"}}}}
      .dump();
}

std::string dm_event(const std::string& event_id, const std::string& text) {
  return dm_event_from("U0PERSON", "D0E2E", event_id, text);
}

// The interactive element of a posted message whose value is `value`; null when none.
json element_with_value(const RecordedCall& post, const std::string& value) {
  for (const auto& block : post.json.value("blocks", json::array())) {
    if (block.at("type") != "actions")
      continue;
    for (const auto& element : block.at("elements")) {
      if (element.value("value", "") == value)
        return element;
    }
  }
  return nullptr;
}

// The block_actions payload Slack posts when `element` of `post` is clicked.
std::string click_body(const RecordedCall& post, const json& element, const std::string& ts) {
  const json click = {
      {"type", "block_actions"},
      {"team", {{"id", "T0E2E"}}},
      {"user", {{"id", "U0PERSON"}, {"team_id", "T0E2E"}}},
      {"trigger_id", "trigger-" + ts},
      {"container",
       {{"type", "message"}, {"message_ts", ts}, {"channel_id", post.json.at("channel")}}},
      {"channel", {{"id", post.json.at("channel")}}},
      {"message",
       {{"type", "message"}, {"text", post.json.at("text")}, {"blocks", post.json.at("blocks")}}},
      {"actions", json::array({{{"action_id", element.at("action_id")},
                                {"type", "button"},
                                {"value", element.at("value")},
                                {"text", element.at("text")},
                                {"action_ts", now_seconds() + "." + ts}}})}};
  return "payload=" + okr::bot::slack::form_encode(click.dump());
}

int event_number = 0;

// A coach wired to a fresh fake Slack in a fresh directory; `seen` counts the posts a test has
// already awaited.
struct SlackDm {
  TempDir dir;
  FakeSlack slack;
  Coach coach{dir, &slack};
  std::size_t seen = 0;
};

// What a person types in the DM: a signed message event with a fresh id ("<prefix><n>").
auto dm_sender(Coach& coach, std::string prefix) {
  return [&coach, prefix = std::move(prefix)](const std::string& text) {
    REQUIRE(coach.post("/slack/events", dm_event(prefix + std::to_string(++event_number), text))
                .status == 200);
  };
}

// What a person clicks: the element of `post` carrying `value`; `seen` (read at each click)
// makes the interaction's message ts.
auto button_clicker(Coach& coach, const std::size_t& seen) {
  return [&coach, &seen](const RecordedCall& post, const std::string& value) {
    const auto element = element_with_value(post, value);
    REQUIRE(element.is_object());
    REQUIRE(
        coach.post("/slack/interactive", click_body(post, element, std::to_string(seen))).status ==
        200);
  };
}

}  // namespace

TEST_CASE_METHOD(SlackDm, "a signed DM conversation drafts an OKR and a clicked Confirm saves it",
                 "[slack][e2e]") {
  auto say = dm_sender(coach, "EvE2E");

  say("draft");
  await_post(slack, seen, "What do you want to achieve this cycle?", coach.process());
  CHECK(!slack.calls_to("conversations.open").empty());
  say("I want to help new customers succeed in their first week.");
  await_post(slack, seen, "Why does that matter to you, and why now?", coach.process());
  say("Half of our churn happens in the first month");
  await_post(slack, seen, "How will you know you got there?", coach.process());
  say("Raise week-one activation from 40% to 60%");
  RecordedCall summary;
  for (int round = 0; round < 16; ++round) {
    // Follow-up questions (baseline, obstacles, support, wording) until the summary comes.
    const auto next = next_post(slack, seen, coach.process());
    const auto text = next.json.value("text", "");
    if (text.find("Here is what I heard") != std::string::npos) {
      summary = next;
      break;
    }
    say(draft_answer(text));
  }
  INFO("stderr:\n" << coach.process().err());
  REQUIRE(summary.json.is_object());
  // The summary card offers Confirm as a button; click it as Slack would post the click.
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
                      {"team", {{"id", "T0E2E"}}},
                      {"user", {{"id", "U0PERSON"}, {"team_id", "T0E2E"}}},
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
  const auto reply =
      coach.post("/slack/interactive", "payload=" + okr::bot::slack::form_encode(click.dump()));
  REQUIRE(reply.status == 200);
  await_post(slack, seen, "Saved.", coach.process());
  const auto updates = slack.calls_to("chat.update");
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].json.at("ts") == "1700000000.000900");
  CHECK(updates[0].json.at("blocks").dump().find("\"actions\"") == std::string::npos);

  say("okrs");
  await_post(slack, seen, "Raise week-one activation from 40% to 60%", coach.process());
}

TEST_CASE_METHOD(SlackDm, "a retried event_id gets one reply, and a bad signature is 401",
                 "[slack][e2e]") {
  const auto body = dm_event("EvRetry1", "help");
  REQUIRE(coach.post("/slack/events", body).status == 200);
  REQUIRE(coach
              .post("/slack/events", body, kSecret,
                    {{"X-Slack-Retry-Num", "1"}, {"X-Slack-Retry-Reason", "http_timeout"}})
              .status == 200);
  // A later event of the same person is answered after anything queued before it.
  REQUIRE(coach.post("/slack/events", dm_event("EvRetry2", "what is a key result?")).status == 200);
  await_post(slack, seen, "key result tells you", coach.process());
  std::size_t help_replies = 0;
  for (const auto& post : slack.calls_to("chat.postMessage")) {
    help_replies += post.json.value("text", "").find("I'm your OKR coach") != std::string::npos;
  }
  CHECK(help_replies == 1);

  const auto forged = coach.post("/slack/events", dm_event("EvForged", "draft"), "not-the-secret");
  CHECK(forged.status == 401);
  CHECK(forged.body.find(kSecret) == std::string::npos);
  CHECK(coach.process().err().find(kSecret) == std::string::npos);

  const auto metrics = coach.metrics();
  INFO(metrics);
  CHECK(metrics.find("okr_coach_slack_inbound_total{kind=\"direct_message\"} 2") !=
        std::string::npos);
  CHECK(metrics.find("outcome=\"signature_rejected\"") != std::string::npos);
  CHECK(metrics.find("okr_coach_inbox_duplicates_total") != std::string::npos);
}

TEST_CASE("without Slack settings the Slack routes answer 503 slack_not_configured",
          "[slack][e2e]") {
  TempDir dir;
  Coach coach(dir, nullptr);
  for (const char* path : {"/slack/events", "/slack/commands", "/slack/interactive"}) {
    const auto reply = coach.post(path, dm_event("Ev503", "draft"));
    CHECK(reply.status == 503);
    CHECK(json::parse(reply.body).at("error") == "slack_not_configured");
  }
}

namespace {

std::string slash(const std::string& text, const FakeSlack& slack) {
  using okr::bot::slack::form_encode;
  return "token=x&team_id=T0E2E&team_domain=e2e&channel_id=C0GENERAL&channel_name=general"
         "&user_id=U0PERSON&user_name=ada&command=%2Fokr&text=" +
         form_encode(text) + "&response_url=" + form_encode(slack.response_url("cmd-" + text)) +
         "&trigger_id=" + form_encode("trigger-" + text + "-" + now_seconds()) +
         "&api_app_id=A0E2E";
}

}  // namespace

TEST_CASE_METHOD(SlackDm,
                 "/okr draft is acknowledged ephemerally and the dialog continues in the DM",
                 "[slack][e2e]") {
  const auto help = coach.post("/slack/commands", slash("", slack));
  REQUIRE(help.status == 200);
  CHECK(json::parse(help.body).at("text").get<std::string>().find("/okr draft") !=
        std::string::npos);

  const auto ack = coach.post("/slack/commands", slash("draft", slack));
  REQUIRE(ack.status == 200);
  const auto body = json::parse(ack.body);
  CHECK(body.at("response_type") == "ephemeral");
  await_post(slack, seen, "What do you want to achieve this cycle?", coach.process());
  // The answer typed in the DM continues the dialog the command began.
  REQUIRE(
      coach.post("/slack/events", dm_event("EvSlash1", "I want new customers to thrive.")).status ==
      200);
  await_post(slack, seen, "Why does that matter to you, and why now?", coach.process());

  REQUIRE(coach.post("/slack/commands", slash("list", slack)).status == 200);
  const auto listed = await_calls(slack, "response_url", 1);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].json.at("response_type") == "ephemeral");
  INFO(listed[0].body);
  CHECK(listed[0].json.value("text", "").find("OKRs") != std::string::npos);
  CHECK(listed[0].json.value("text", "").find("How will you know") == std::string::npos);
  // The list did not answer the draft's open question: the DM dialog carries on where it was.
  REQUIRE(
      coach.post("/slack/events", dm_event("EvSlash2", "Churn is highest in week one")).status ==
      200);
  await_post(slack, seen, "How will you know you got there?", coach.process());
}

TEST_CASE("opening the App Home publishes the Home tab", "[slack][e2e]") {
  TempDir dir;
  FakeSlack slack;
  Coach coach(dir, &slack);
  const json opened = {{"type", "event_callback"},
                       {"team_id", "T0E2E"},
                       {"event_id", "EvHome1"},
                       {"event",
                        {{"type", "app_home_opened"},
                         {"user", "U0PERSON"},
                         {"channel", "D0E2E"},
                         {"tab", "home"},
                         {"event_ts", now_seconds() + ".1"}}}};
  REQUIRE(coach.post("/slack/events", opened.dump()).status == 200);
  const auto views = await_calls(slack, "views.publish", 1);
  REQUIRE(views.size() == 1);
  CHECK(views[0].json.at("user_id") == "U0PERSON");
  CHECK(views[0].json.at("view").at("type") == "home");
  CHECK(views[0].json.at("view").at("blocks").dump().find("Draft an OKR") != std::string::npos);
}

TEST_CASE("a restart in the middle of a Slack dialog resumes it", "[slack][e2e]") {
  TempDir dir;
  FakeSlack slack;
  std::size_t seen = 0;
  {
    Coach coach(dir, &slack);
    REQUIRE(coach.post("/slack/events", dm_event("EvRestart1", "draft")).status == 200);
    await_post(slack, seen, "What do you want to achieve this cycle?", coach.process());
  }
  Coach again(dir, &slack);
  REQUIRE(again.post("/slack/events", dm_event("EvRestart2", "I want new customers to thrive."))
              .status == 200);
  await_post(slack, seen, "Why does that matter to you, and why now?", again.process());
}

TEST_CASE("the bot's own messages are ignored and a mention is answered in its thread",
          "[slack][e2e]") {
  TempDir dir;
  FakeSlack slack;  // its auth.test names the bot user UBOT0001
  Coach coach(dir, &slack);
  std::size_t seen = 0;

  auto own = json::parse(dm_event("EvOwn1", "Here is what I heard"));
  own["event"]["user"] = "UBOT0001";
  REQUIRE(coach.post("/slack/events", own.dump()).status == 200);

  const json mention = {{"type", "event_callback"},
                        {"team_id", "T0E2E"},
                        {"event_id", "EvMention1"},
                        {"event",
                         {{"type", "app_mention"},
                          {"user", "U0PERSON"},
                          {"text", "<@UBOT0001> draft"},
                          {"ts", "1700000100.000100"},
                          {"channel", "C0GENERAL"},
                          {"event_ts", "1700000100.000100"}}}};
  REQUIRE(coach.post("/slack/events", mention.dump()).status == 200);
  const auto pointer = await_post(slack, seen, "direct message", coach.process());
  CHECK(pointer.json.at("channel") == "C0GENERAL");
  CHECK(pointer.json.at("thread_ts") == "1700000100.000100");
  await_post(slack, seen, "What do you want to achieve this cycle?", coach.process());
  // Nothing was ever said in reply to our own message.
  for (const auto& post : slack.calls_to("chat.postMessage")) {
    CHECK(post.json.value("text", "").find("Here is what I heard") == std::string::npos);
  }
}

// Rows of the outbox not yet sent nor given up (read from the coach's database).
int unsent_rows(const TempDir& dir) {
  auto db = okr::storage::Database::open((dir / "coach.db").string());
  SQLite::Statement q(db.handle(),
                      "SELECT COUNT(*) FROM outbox WHERE status NOT IN ('sent', 'dead')");
  q.executeStep();
  return q.getColumn(0).getInt();
}

TEST_CASE("with 30% of Slack calls failing (500 and 429) every reply arrives exactly once",
          "[slack][e2e]") {
  TempDir dir;
  FakeSlack slack;
  Coach coach(dir, &slack);
  // Both faults are answered before Slack does anything, so our retry cannot double a message.
  // (A timeout after Slack accepted a call is different: the outcome is unknown and the retry
  // makes delivery at-least-once; see docs/slack.md.)
  okr::test::Fault rate_limited{okr::test::FaultKind::rate_limited, 1, {}, {}};
  slack.fail_percent(30, std::vector<okr::test::Fault>{okr::test::Fault{}, rate_limited}, 4242);
  std::size_t seen = 0;
  const std::vector<std::pair<std::string, std::string>> script = {
      {"draft", "What do you want to achieve this cycle?"},
      {"I want new customers to thrive.", "Why does that matter to you, and why now?"},
      {"Churn is highest in week one", "How will you know you got there?"},
  };
  int number = 0;
  for (const auto& [said, expected] : script) {
    REQUIRE(
        coach.post("/slack/events", dm_event("EvFault" + std::to_string(++number), said)).status ==
        200);
    await_post(slack, seen, expected, coach.process());
  }
  // Let every retry run out before counting.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (unsent_rows(dir) > 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  REQUIRE(unsent_rows(dir) == 0);

  const auto accepted = slack.accepted_calls_to("chat.postMessage");
  INFO("calls: " << slack.calls_to("chat.postMessage").size() << ", accepted: " << accepted.size());
  CHECK(slack.calls_to("chat.postMessage").size() > accepted.size());  // faults did happen
  for (const auto& [said, expected] : script) {
    INFO(expected);
    std::size_t times = 0;
    for (const auto& post : accepted)
      times += post.json.value("text", "").find(expected) != std::string::npos;
    CHECK(times == 1);
  }
  // And nothing else was doubled either.
  std::map<std::string, int> texts;
  for (const auto& post : accepted)
    ++texts[post.json.value("text", "")];
  for (const auto& [text, count] : texts) {
    INFO(text);
    CHECK(count == 1);
  }
  // In order: the accepted posts follow the script.
  std::size_t at = 0;
  for (const auto& post : accepted) {
    if (at < script.size() &&
        post.json.value("text", "").find(script[at].second) != std::string::npos)
      ++at;
  }
  CHECK(at == script.size());
}

TEST_CASE_METHOD(SlackDm,
                 "a check-in in Slack: the confidence scale is clicked and the check-in saved",
                 "[slack][e2e]") {
  auto say = dm_sender(coach, "EvCk");
  auto click = button_clicker(coach, seen);

  // An OKR to check in on, drafted and confirmed in the DM.
  say("draft");
  await_post(slack, seen, "What do you want to achieve this cycle?", coach.process());
  say("I want to help new customers succeed in their first week.");
  await_post(slack, seen, "Why does that matter", coach.process());
  say("Half of our churn happens in the first month");
  await_post(slack, seen, "How will you know you got there?", coach.process());
  say("Raise week-one activation from 40% to 60%");
  bool saved = false;
  for (int round = 0; round < 16 && !saved; ++round) {
    const auto post = next_post(slack, seen, coach.process());
    const auto text = post.json.value("text", "");
    if (text.find("Here is what I heard") != std::string::npos)
      click(post, "confirm");
    else if (text.find("Saved.") != std::string::npos)
      saved = true;
    else
      say(draft_answer(text));
  }
  REQUIRE(saved);

  say("checkin");
  bool clicked_scale = false;
  bool checked_in = false;
  for (int round = 0; round < 16 && !checked_in; ++round) {
    const auto post = next_post(slack, seen, coach.process());
    const auto text = post.json.value("text", "");
    if (text.find("How confident") != std::string::npos) {
      click(post, "7");
      clicked_scale = true;
    } else if (text.find("where does it stand now") != std::string::npos) {
      say("48%");
    } else if (text.find("Shall I save it?") != std::string::npos) {
      // The clicked confidence and the typed value are in the summary's progress bar row.
      CHECK(post.json.at("blocks").dump().find("confidence 7/10") != std::string::npos);
      CHECK(text.find("48%") != std::string::npos);
      click(post, "confirm");
    } else if (text.find("Saved. Thanks for checking in") != std::string::npos) {
      checked_in = true;
    } else if (text.find("Is \"") != std::string::npos) {
      say("no");
    } else {
      say("Pairing with support");
    }
  }
  CHECK(clicked_scale);
  CHECK(checked_in);
}

namespace {

// A fault injected into the coach's own database: every new dialog state fails to save, as a
// full disk or a broken schema would make it.
const char* kBreakDialogSaves =
    "CREATE TRIGGER injected_fault BEFORE INSERT ON dialog_instances "
    "BEGIN SELECT RAISE(ABORT, 'injected fault'); END;";

void exec_sql(const TempDir& dir, const std::string& sql) {
  auto db = okr::storage::Database::open((dir / "coach.db").string());
  db.handle().exec(sql);
}

std::string inbox_status(const TempDir& dir, const std::string& event_key) {
  auto db = okr::storage::Database::open((dir / "coach.db").string());
  SQLite::Statement q(db.handle(), "SELECT status FROM inbox WHERE event_key = ?");
  q.bind(1, event_key);
  return q.executeStep() ? q.getColumn(0).getString() : "";
}

// Waits until /metrics shows `series`; the deadline only stops a broken run.
bool await_metric(Coach& coach, const std::string& series) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < until) {
    if (coach.metrics().find(series) != std::string::npos)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace

TEST_CASE_METHOD(SlackDm,
                 "a turn that fails to save is retried and goes through once the fault is gone",
                 "[slack][e2e][retry]") {
  exec_sql(dir, kBreakDialogSaves);
  REQUIRE(coach.post("/slack/events", dm_event("EvRetryTurn1", "draft")).status == 200);
  REQUIRE(await_metric(coach, "okr_inbox_turn_retries_total{platform=\"slack\"}"));
  CHECK(inbox_status(dir, "EvRetryTurn1") == "pending");
  exec_sql(dir, "DROP TRIGGER injected_fault;");
  await_post(slack, seen, "What do you want to achieve this cycle?", coach.process());
  CHECK(inbox_status(dir, "EvRetryTurn1") == "done");
  for (const auto& post : slack.calls_to("chat.postMessage"))
    CHECK(post.json.value("text", "").find("Sorry") == std::string::npos);
}

TEST_CASE_METHOD(
    SlackDm,
    "a turn that keeps failing is given up: entry failed, an apology, a warn log, a metric",
    "[slack][e2e][retry]") {
  exec_sql(dir, kBreakDialogSaves);
  REQUIRE(coach.post("/slack/events", dm_event("EvGiveUp1", "draft")).status == 200);
  // Five attempts with backoff (about 15 s at most) end in the apology.
  const auto sorry = await_post(slack, seen, "send it to me again", coach.process());
  CHECK(sorry.json.at("channel") != "C0GENERAL");
  CHECK(inbox_status(dir, "EvGiveUp1") == "failed");
  CHECK(await_metric(coach, "okr_inbox_turn_failures_total{platform=\"slack\"} 1"));
  const auto metrics = coach.metrics();
  CHECK(metrics.find("okr_inbox_turn_retries_total{platform=\"slack\"} 4") != std::string::npos);
  // One warn line names the entry (by id, never by what the person wrote).
  const auto line = coach.process().wait_for_line("gave up on inbox entry", okr::test::Stream::err);
  REQUIRE(line);
  INFO(*line);
  CHECK(line->find(" warn") != std::string::npos);
  // The person sends it again once the fault is gone, and the dialog starts.
  exec_sql(dir, "DROP TRIGGER injected_fault;");
  REQUIRE(coach.post("/slack/events", dm_event("EvGiveUp2", "draft")).status == 200);
  await_post(slack, seen, "What do you want to achieve this cycle?", coach.process());
}

TEST_CASE("/okr schedule reaches the turn as its whole text with mentions made plain",
          "[slack][e2e]") {
  TempDir dir;
  FakeSlack slack;
  Coach coach(dir, &slack);
  using okr::bot::slack::form_encode;
  const std::string typed = "schedule reflect for <@U123|bob> every fri at 16:00";
  const std::string body =
      "token=x&team_id=T0E2E&team_domain=e2e&channel_id=C0GENERAL&channel_name=general"
      "&user_id=U0PERSON&user_name=ada&command=%2Fokr&text=" +
      form_encode(typed) + "&response_url=" + form_encode(slack.response_url("sched-1")) +
      "&trigger_id=trigger-sched-1&api_app_id=A0E2E";
  const auto ack = coach.post("/slack/commands", body);
  REQUIRE(ack.status == 200);
  CHECK(json::parse(ack.body).at("response_type") == "ephemeral");
  const auto replies = await_calls(slack, "response_url", 1);
  INFO(coach.log());
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].path == "/response/sched-1");
  // What the turn ran on is the inbox entry's message, recorded before the acknowledgement.
  auto db = okr::storage::Database::open((dir / "coach.db").string());
  SQLite::Statement q(db.handle(),
                      "SELECT payload FROM inbox WHERE event_key = 'command:trigger-sched-1'");
  REQUIRE(q.executeStep());
  const auto message = json::parse(q.getColumn(0).getString());
  CHECK(message.at("text") == "schedule reflect for @U123 every fri at 16:00");
  CHECK(message.at("conversation") == "slash:U0PERSON");
  // Nothing went to the DM: the command is answered where it was typed.
  CHECK(slack.calls_to("chat.postMessage").empty());
}

TEST_CASE("a person's time zone and name come from users.info before their first turn",
          "[slack][e2e]") {
  TempDir dir;
  FakeSlack slack;
  slack.set_user_tz("U0PERSON", "America/Los_Angeles", -25200);
  Coach coach(dir, &slack);
  std::size_t seen = 0;
  REQUIRE(coach.post("/slack/events", dm_event("EvTz1", "help")).status == 200);
  await_post(slack, seen, "I'm your OKR coach", coach.process());
  REQUIRE(coach.post("/slack/events", dm_event("EvTz2", "what is a key result?")).status == 200);
  await_post(slack, seen, "key result tells you", coach.process());
  auto db = okr::storage::Database::open((dir / "coach.db").string());
  SQLite::Statement q(db.handle(),
                      "SELECT time_zone, display_name FROM people WHERE user_ref = 'U0PERSON'");
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getString() == "America/Los_Angeles");
  CHECK(q.getColumn(1).getString() == "Display U0PERSON");
  // Fetched once: the second turn within a day used the cached profile.
  const auto lookups = slack.calls_to("users.info");
  REQUIRE(lookups.size() == 1);
  CHECK(lookups[0].body == "user=U0PERSON");
}

TEST_CASE_METHOD(SlackDm, "a failing users.info does not stop the turn", "[slack][e2e]") {
  await_calls(slack, "auth.test", 1);
  slack.fail_next(1, okr::test::Fault{okr::test::FaultKind::slack_error, 1, {}, "missing_scope"});
  REQUIRE(coach.post("/slack/events", dm_event("EvTzFail1", "help")).status == 200);
  await_post(slack, seen, "I'm your OKR coach", coach.process());
  CHECK(slack.calls_to("users.info").size() == 1);
}

namespace {

// The view_submission Slack posts for our edit modal with these field values.
std::string edit_submission(const std::string& objective, const std::vector<std::string>& krs) {
  json values = {{"objective", {{"text", {{"type", "plain_text_input"}, {"value", objective}}}}}};
  for (std::size_t i = 0; i < krs.size(); ++i) {
    values["kr_" + std::to_string(i)] = {
        {"text", {{"type", "plain_text_input"}, {"value", krs[i]}}}};
  }
  const json payload = {{"type", "view_submission"},
                        {"team", {{"id", "T0E2E"}}},
                        {"user", {{"id", "U0PERSON"}, {"team_id", "T0E2E"}}},
                        {"trigger_id", "trig-submit"},
                        {"view",
                         {{"id", "V0EDIT1"},
                          {"type", "modal"},
                          {"callback_id", "okr_edit_draft"},
                          {"private_metadata", ""},
                          {"state", {{"values", values}}}}}};
  return "payload=" + okr::bot::slack::form_encode(payload.dump());
}

}  // namespace

TEST_CASE_METHOD(SlackDm,
                 "editing a draft in the modal: invalid fields are errors, a valid edit is saved",
                 "[slack][e2e][modal]") {
  auto say = dm_sender(coach, "EvEdit");
  auto click = button_clicker(coach, seen);
  auto until_summary = [&] {
    for (int round = 0; round < 16; ++round) {
      const auto post = next_post(slack, seen, coach.process());
      const auto text = post.json.value("text", "");
      if (text.find("Here is what I heard") != std::string::npos)
        return post;
      say(draft_answer(text));
    }
    FAIL("no summary card");
    throw std::logic_error("unreachable");
  };

  say("draft");
  await_post(slack, seen, "What do you want to achieve this cycle?", coach.process());
  say("I want to help new customers succeed in their first week.");
  await_post(slack, seen, "Why does that matter", coach.process());
  say("Half of our churn happens in the first month");
  await_post(slack, seen, "How will you know you got there?", coach.process());
  say("Raise week-one activation from 40% to 60%");
  const auto summary = until_summary();

  click(summary, "edit");
  const auto opened = await_calls(slack, "views.open", 1);
  REQUIRE(opened.size() == 1);
  CHECK(opened[0].json.at("trigger_id").get<std::string>().empty() == false);
  const auto view = opened[0].json.at("view").dump();
  CHECK(view.find("Raise week-one activation from 40% to 60%") != std::string::npos);

  const auto invalid = coach.post(
      "/slack/interactive",
      edit_submission("", {"Raise week-one activation from 40% to 75%", "Be friendlier"}));
  REQUIRE(invalid.status == 200);
  const auto errors = json::parse(invalid.body);
  CHECK(errors.at("response_action") == "errors");
  CHECK(errors.at("errors").contains("objective"));
  CHECK(errors.at("errors").contains("kr_1"));
  CHECK_FALSE(errors.at("errors").contains("kr_0"));

  const auto valid = coach.post("/slack/interactive",
                                edit_submission("I want to help new customers succeed in week one.",
                                                {"Raise week-one activation from 40% to 75%"}));
  REQUIRE(valid.status == 200);
  CHECK(valid.body.empty());
  bool saved = false;
  for (int round = 0; round < 16 && !saved; ++round) {
    const auto post = next_post(slack, seen, coach.process());
    const auto text = post.json.value("text", "");
    if (text.find("Here is what I heard") != std::string::npos) {
      CHECK(text.find("40% to 75%") != std::string::npos);
      click(post, "confirm");
    } else if (text.find("Saved.") != std::string::npos) {
      saved = true;
    } else {
      say(draft_answer(text));
    }
  }
  REQUIRE(saved);
  auto db = okr::storage::Database::open((dir / "coach.db").string());
  SQLite::Statement q(db.handle(), "SELECT text FROM key_results");
  std::vector<std::string> stored;
  while (q.executeStep())
    stored.push_back(q.getColumn(0).getString());
  INFO(coach.log());
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].find("from 40% to 75%") != std::string::npos);
}

TEST_CASE("a /okr list left unfinished by a restart is answered through its response_url",
          "[slack][e2e][retry]") {
  TempDir dir;
  FakeSlack slack;
  {
    Coach coach(dir, &slack);
    // The turn cannot finish while this holds: marking the entry done fails.
    exec_sql(dir,
             "CREATE TRIGGER injected_fault BEFORE UPDATE ON inbox WHEN NEW.status = 'done' "
             "BEGIN SELECT RAISE(ABORT, 'injected fault'); END;");
    REQUIRE(coach.post("/slack/commands", slash("list", slack)).status == 200);
    REQUIRE(await_metric(coach, "okr_inbox_turn_retries_total{platform=\"slack\"}"));
  }  // stopped while the entry waits for its retry
  exec_sql(dir, "DROP TRIGGER injected_fault;");
  CHECK(slack.calls_to("response_url").empty());
  Coach again(dir, &slack);
  const auto replies = await_calls(slack, "response_url", 1);
  INFO(again.log());
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].path == "/response/cmd-list");
  CHECK(replies[0].json.value("text", "").find("OKRs") != std::string::npos);
  CHECK(slack.calls_to("chat.postMessage").empty());  // not sent to the DM instead
}

TEST_CASE_METHOD(SlackDm,
                 "/okr setup in a channel makes its people a team and asks for its roles in the DM",
                 "[slack][e2e][team-setup]") {
  slack.answer_method("conversations.members", [](const json&) {
    return json{{"ok", true},
                {"members", {"U0PERSON", "U0OTHER", "UBOT0001"}},
                {"response_metadata", {{"next_cursor", ""}}}};
  });
  using okr::bot::slack::form_encode;
  const std::string body =
      "token=x&team_id=T0E2E&team_domain=e2e&channel_id=C0TEAM&channel_name=growth"
      "&user_id=U0PERSON&user_name=ada&command=%2Fokr&text=setup&response_url=" +
      form_encode(slack.response_url("setup-1")) + "&trigger_id=trigger-setup-" + now_seconds() +
      "&api_app_id=A0E2E";
  REQUIRE(coach.post("/slack/commands", body).status == 200);
  // Two people in the channel; the coach itself is not one of them.
  await_post(slack, seen, "the 2 people in the channel are its members", coach.process());
  auto say = dm_sender(coach, "EvSetup");
  say("<@U0BOSS>");
  await_post(slack, seen, "who coaches the team?", coach.process());
  say("skip");
  await_post(slack, seen, "That's growth set up", coach.process());
  CHECK(slack.calls_to("conversations.members").size() == 1);
  // The setup questions are over: `team` lists the new team with its roles.
  say("team");
  const auto team = await_post(slack, seen, "growth has 3 people", coach.process());
  CHECK(team.json.value("text", "").find("admin") != std::string::npos);
  CHECK(team.json.value("text", "").find("manager") != std::string::npos);
}

namespace {

// The first three steps of drafting an OKR: what each person types, and the question it brings.
const std::vector<std::pair<std::string, std::string>> kDraftOpening = {
    {"draft", "What do you want to achieve this cycle?"},
    {"I want new customers to thrive.", "Why does that matter to you, and why now?"},
    {"Churn is highest in week one", "How will you know you got there?"},
};

constexpr int kBurstPeople = 3;

std::string burst_channel(int person) {
  return "D0BURST" + std::to_string(person);
}

// Every person sends the opening, interleaved with the others (person 0 step 0, person 1 step
// 0, ...), each event acknowledged before the next is sent.
void send_burst(Coach& coach) {
  for (std::size_t step = 0; step < kDraftOpening.size(); ++step) {
    for (int person = 0; person < kBurstPeople; ++person) {
      const auto event_id = "EvBurst" + std::to_string(person) + "_" + std::to_string(step);
      REQUIRE(coach
                  .post("/slack/events",
                        dm_event_from("U0BURST" + std::to_string(person), burst_channel(person),
                                      event_id, kDraftOpening[step].first))
                  .status == 200);
    }
  }
}

// Each person's DM got the opening's three questions, once each and in order.
void check_burst_answered(const FakeSlack& slack, okr::test::Process& coach) {
  const auto posts = await_calls(slack, "chat.postMessage", kBurstPeople * kDraftOpening.size());
  INFO("coach log:\n" << coach.err());
  std::string listed;
  for (const auto& post : posts)
    listed += post.json.value("channel", "") + ": " + post.json.value("text", "") + "\n";
  INFO(posts.size() << " posts:\n" << listed);
  for (int person = 0; person < kBurstPeople; ++person) {
    std::vector<std::string> said;
    for (const auto& post : posts) {
      if (post.json.value("channel", "") == burst_channel(person))
        said.push_back(post.json.value("text", ""));
    }
    INFO("person " << person);
    REQUIRE(said.size() == kDraftOpening.size());
    for (std::size_t step = 0; step < kDraftOpening.size(); ++step) {
      INFO(said[step]);
      CHECK(said[step].find(kDraftOpening[step].second) != std::string::npos);
    }
  }
}

std::string left_on_disk_series() {
  return "okr_inbox_turns_left_on_disk_total{platform=\"slack\"}";
}

int pending_inbox_rows(const TempDir& dir) {
  auto db = okr::storage::Database::open((dir / "coach.db").string());
  SQLite::Statement q(db.handle(), "SELECT COUNT(*) FROM inbox WHERE status = 'pending'");
  q.executeStep();
  return q.getColumn(0).getInt();
}

// Each person's first turn waits this long on users.info, so the turn queue fills up while
// the burst arrives.
void slow_first_turns(FakeSlack& slack) {
  slack.fail_next_to("users.info", kBurstPeople,
                     okr::test::Fault{okr::test::FaultKind::delay, 1,
                                      std::chrono::milliseconds(1500), {}});
}

const std::map<std::string, std::string> kQueueOfOne = {{"OKR_COACH_QUEUED_TURNS", "1"}};

// The burst, while the queue holds one turn waiting on users.info: most of it must go to disk.
void burst_into_full_queue(Coach& coach) {
  send_burst(coach);
  const auto metrics = coach.metrics();
  INFO(metrics);
  REQUIRE(metrics.find(left_on_disk_series()) != std::string::npos);
}

}  // namespace

TEST_CASE("with the turn queue full, a burst waits on disk and every DM is answered in order, once",
          "[slack][e2e][inbox]") {
  TempDir dir;
  FakeSlack slack;
  slow_first_turns(slack);
  Coach coach(dir, &slack, kQueueOfOne);
  burst_into_full_queue(coach);
  check_burst_answered(slack, coach.process());
  CHECK(pending_inbox_rows(dir) == 0);
}

TEST_CASE("events left on disk when the coach stops are answered after the restart, in order",
          "[slack][e2e][inbox]") {
  TempDir dir;
  FakeSlack slack;
  slow_first_turns(slack);
  {
    Coach coach(dir, &slack, kQueueOfOne);
    burst_into_full_queue(coach);
    // SIGTERM now: the turn queue is finished, what waits on disk stays pending.
  }
  INFO("replies before the restart: " << slack.calls_to("chat.postMessage").size());
  CHECK(pending_inbox_rows(dir) > 0);
  Coach again(dir, &slack, kQueueOfOne);
  check_burst_answered(slack, again.process());
  CHECK(pending_inbox_rows(dir) == 0);
}
