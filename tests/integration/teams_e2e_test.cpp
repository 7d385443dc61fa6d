// The Teams channel end to end: the real `okr-coach serve` subprocess, activities posted to
// /api/messages over loopback with Bot Framework tokens minted by the fake identity service
// (TEAMS_OPENID_URL / TEAMS_TOKEN_URL), and the fake Bot Connector (the activities' serviceUrl)
// receiving what the coach sends.
#include <signal.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "storage/conversation_refs.hpp"
#include "storage/database.hpp"
#include "storage/memberships.hpp"
#include "storage/objectives.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
#include "storage/teams.hpp"
#include "tests/support/draft_answers.hpp"
#include "tests/support/fake_bot_connector.hpp"
#include "tests/support/fake_teams_identity.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/served_coach.hpp"
#include "tests/support/temp_dir.hpp"

using nlohmann::json;
using okr::test::ConnectorCall;
using okr::test::FakeBotConnector;
using okr::test::FakeTeamsIdentity;
using okr::test::Process;
using okr::test::TempDir;
using okr::test::draft_answer;

namespace {

const std::string kTenant = "tenant-e2e";
const std::string kUser = "29:person-e2e";
const std::string kChat = "a:chat-e2e";

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::map<std::string, std::string> teams_env(const FakeTeamsIdentity& identity) {
  return {{"TEAMS_APP_ID", identity.options().app_id},
          {"TEAMS_APP_PASSWORD", identity.options().app_password},
          {"TEAMS_OPENID_URL", identity.openid_url()},
          {"TEAMS_TOKEN_URL", identity.token_url()}};
}

// The served coach with the Teams settings pointing at `identity` (none when null).
class Coach : public okr::test::ServedCoach {
 public:
  Coach(const TempDir& dir, const FakeTeamsIdentity* identity)
      : ServedCoach(dir, identity ? teams_env(*identity) : std::map<std::string, std::string>{}) {}

  okr::test::HttpReply post(const json& activity, const std::string& authorization) {
    return request("POST", "/api/messages", activity.dump(),
                   {{"Content-Type", "application/json"}, {"Authorization", authorization}});
  }
};

// The bearer token the Bot Connector would send for activities from `service_url`.
std::string bearer(const FakeTeamsIdentity& identity, const std::string& service_url) {
  return "Bearer " + identity.token(identity.claims(service_url, now_seconds()));
}

json activity(const FakeBotConnector& connector, const std::string& id) {
  return {{"type", "message"},
          {"id", id},
          {"serviceUrl", connector.service_url()},
          {"channelId", "msteams"},
          {"from", {{"id", kUser}, {"name", "Pat Person"}, {"aadObjectId", "aad-pat"}}},
          {"recipient", {{"id", "28:coach"}, {"name", "OKR Coach"}}},
          {"conversation", {{"id", kChat}, {"conversationType", "personal"}, {"tenantId", kTenant}}},
          {"channelData", {{"tenant", {{"id", kTenant}}}}},
          {"entities", json::array({{{"type", "clientInfo"}, {"timezone", "Europe/Lisbon"}}})}};
}

json text_activity(const FakeBotConnector& connector, const std::string& id,
                   const std::string& text) {
  auto body = activity(connector, id);
  body["text"] = text;
  return body;
}

// Everything a person sees of a sent activity: its text and its card's body.
std::string shown(const ConnectorCall& call) {
  std::string out = call.body.value("text", "");
  for (const auto& attachment : call.body.value("attachments", json::array()))
    out += attachment.at("content").at("body").dump();
  return out;
}

// Messages (replies and posts) among `calls` that the connector accepted, in order.
std::vector<ConnectorCall> messages_in(const std::vector<ConnectorCall>& calls) {
  std::vector<ConnectorCall> out;
  for (const auto& call : calls) {
    if ((call.operation == "reply" || call.operation == "send") && call.status >= 200 &&
        call.status < 300)
      out.push_back(call);
  }
  return out;
}

std::vector<ConnectorCall> messages(const FakeBotConnector& connector) {
  return messages_in(connector.calls());
}

ConnectorCall next_message(const FakeBotConnector& connector, std::size_t& seen, Process& coach) {
  // The predicate runs under the fake's lock: it reads the calls it is given, nothing else.
  const bool arrived = connector.wait_until([&](const std::vector<ConnectorCall>& calls) {
    return messages_in(calls).size() > seen;
  });
  if (!arrived)
    FAIL("no further message; stderr:\n" << coach.err());
  return messages(connector).at(seen++);
}

ConnectorCall await_message(const FakeBotConnector& connector, std::size_t& seen,
                            const std::string& needle, Process& coach) {
  for (int i = 0; i < 40; ++i) {
    auto call = next_message(connector, seen, coach);
    if (shown(call).find(needle) != std::string::npos)
      return call;
  }
  FAIL("no message containing '" << needle << "'");
  throw std::logic_error("unreachable");
}

// The Action.Submit of a sent card whose data carries `value`; null when none.
json submit_with_value(const ConnectorCall& call, const std::string& value) {
  for (const auto& attachment : call.body.value("attachments", json::array())) {
    for (const auto& action : attachment.at("content").value("actions", json::array())) {
      if (action.at("data").value("okr_value", "") == value)
        return action;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a Teams 1:1 chat drafts an OKR; a card submit for Confirm saves it and the card is "
          "replaced",
          "[teams][e2e]") {
  TempDir dir;
  FakeTeamsIdentity identity;
  FakeBotConnector connector;
  Coach coach(dir, &identity);
  const auto token = bearer(identity, connector.service_url());
  int number = 0;
  std::size_t seen = 0;
  auto say = [&](const std::string& text) {
    REQUIRE(coach.post(text_activity(connector, "act-" + std::to_string(++number), text), token)
                .status == 200);
  };

  // Installing the app greets once, into the stored conversation.
  auto install = activity(connector, "install-1");
  install["type"] = "installationUpdate";
  install["action"] = "add";
  REQUIRE(coach.post(install, token).status == 200);
  REQUIRE(coach.post(install, token).status == 200);  // redelivered: no second greeting
  const auto greeting = await_message(connector, seen, "I'm your OKR coach", coach.process());
  CHECK(greeting.operation == "send");
  CHECK(greeting.conversation == kChat);

  say("draft");
  const auto first = await_message(connector, seen, "What do you want to achieve this cycle?",
                                   coach.process());
  CHECK(first.operation == "reply");
  CHECK(first.activity == "act-1");
  // Outbound calls carry the token the fake identity service issued to the coach.
  REQUIRE_FALSE(identity.issued_tokens().empty());
  CHECK(first.authorization == "Bearer " + identity.issued_tokens().back());
  say("I want to help new customers succeed in their first week.");
  await_message(connector, seen, "Why does that matter to you, and why now?", coach.process());
  say("Half of our churn happens in the first month");
  await_message(connector, seen, "How will you know you got there?", coach.process());
  say("Raise week-one activation from 40% to 60%");
  std::optional<ConnectorCall> summary;
  for (int round = 0; round < 16; ++round) {
    const auto next = next_message(connector, seen, coach.process());
    if (shown(next).find("Here is what I heard") != std::string::npos) {
      summary = next;
      break;
    }
    say(draft_answer(shown(next)));
  }
  INFO("stderr:\n" << coach.process().err());
  REQUIRE(summary);
  const auto confirm = submit_with_value(*summary, "confirm");
  REQUIRE(confirm.is_object());

  // The click: a message activity whose value is the submit's data, replying to the card.
  auto click = activity(connector, "act-click");
  click["value"] = confirm.at("data");
  click["replyToId"] = "card-summary-1";
  REQUIRE(coach.post(click, token).status == 200);
  await_message(connector, seen, "Saved.", coach.process());
  REQUIRE(connector.wait_until([](const std::vector<ConnectorCall>& calls) {
    for (const auto& call : calls) {
      if (call.operation == "update")
        return true;
    }
    return false;
  }));
  for (const auto& call : connector.accepted()) {
    if (call.operation != "update")
      continue;
    CHECK(call.activity == "card-summary-1");
    CHECK_FALSE(call.body.at("attachments").at(0).at("content").contains("actions"));
  }

  // The objective is stored for the person, with the time zone Teams told us.
  okr::storage::Database db = okr::storage::Database::open((dir / "coach.db").string());
  const auto person = okr::storage::People(db).find("teams", kTenant, kUser);
  REQUIRE(person);
  CHECK(person->time_zone == "Europe/Lisbon");
  say("okrs");
  await_message(connector, seen, "Raise week-one activation", coach.process());
}

TEST_CASE("a redelivered Teams activity gets one reply; a bad token is 401; unconfigured is 503",
          "[teams][e2e]") {
  TempDir dir;
  FakeTeamsIdentity identity;
  FakeBotConnector connector;
  {
    Coach coach(dir, &identity);
    const auto body = text_activity(connector, "dup-1", "help");
    const auto token = bearer(identity, connector.service_url());
    REQUIRE(coach.post(body, token).status == 200);
    REQUIRE(coach.post(body, token).status == 200);
    std::size_t seen = 0;
    await_message(connector, seen, "Here is what we can do together", coach.process());
    const auto forged = coach.post(text_activity(connector, "dup-2", "help"), "Bearer not.a.jwt");
    CHECK(forged.status == 401);
    // Another service URL than the token names is refused too.
    auto elsewhere = text_activity(connector, "dup-3", "help");
    elsewhere["serviceUrl"] = "https://elsewhere.example/";
    CHECK(coach.post(elsewhere, token).status == 401);
    const auto malformed = coach.post(json{{"type", "message"}, {"channelId", "msteams"}, {"serviceUrl", connector.service_url()}}, token);
    CHECK(malformed.status == 400);
    CHECK(malformed.body.find("id") != std::string::npos);
    // Give a second reply the chance to appear if the dedupe were broken.
    REQUIRE(coach.post(text_activity(connector, "dup-4", "okrs"), token).status == 200);
    await_message(connector, seen, "", coach.process());
    CHECK(messages(connector).size() == 2);
    CHECK(coach.process().err().find("not.a.jwt") == std::string::npos);
  }
  Coach bare(dir, nullptr);
  const auto reply = bare.post(text_activity(connector, "x", "help"), "Bearer x");
  CHECK(reply.status == 503);
  CHECK(json::parse(reply.body).at("error") == "teams_not_configured");
}

TEST_CASE("a restart in the middle of a Teams dialog resumes it", "[teams][e2e]") {
  TempDir dir;
  FakeTeamsIdentity identity;
  FakeBotConnector connector;
  std::size_t seen = 0;
  {
    Coach coach(dir, &identity);
    REQUIRE(coach.post(text_activity(connector, "r-1", "draft"),
                       bearer(identity, connector.service_url()))
                .status == 200);
    await_message(connector, seen, "What do you want to achieve this cycle?", coach.process());
  }
  Coach again(dir, &identity);
  REQUIRE(again.post(text_activity(connector, "r-2", "I want new customers to thrive."),
                     bearer(identity, connector.service_url()))
              .status == 200);
  await_message(connector, seen, "Why does that matter to you, and why now?", again.process());
}

TEST_CASE("tick delivers a check-in nudge to a stored Teams conversation, through 429 and 500",
          "[teams][e2e]") {
  TempDir dir;
  FakeTeamsIdentity identity;
  FakeBotConnector connector;
  const auto path = (dir / "coach.db").string();
  {
    auto db = okr::storage::Database::open(path);
    db.migrate();
    const auto team = okr::storage::Teams(db).find_or_create("Platform");
    okr::dialogs::Person person;
    person.platform = "teams";
    person.workspace = kTenant;
    person.user_ref = kUser;
    okr::storage::Memberships(db).join(team.id,
                                       okr::storage::People(db).find_or_create(person).id);
    okr::storage::sync_default_schedules(
        db, team.id,
        okr::dialogs::TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25}});
    okr::storage::ConversationRef ref;
    ref.tenant_id = kTenant;
    ref.conversation_id = kChat;
    ref.service_url = connector.service_url();
    ref.bot_id = "28:coach";
    ref.user_id = kUser;
    okr::storage::ConversationRefs(db).remember(ref);
  }
  // The first tick meets a 429: the nudge waits in the outbox; the next tick delivers it once.
  connector.fail_next(1, okr::test::ConnectorFault::rate_limited, 1);
  auto tick = [&](const std::string& now) {
    okr::test::ProcessOptions options;
    options.args = {"tick", "--now", now, "--db", path, "--log-format", "text"};
    options.env = teams_env(identity);
    Process process(OKR_COACH_BINARY, options);
    const auto code = process.wait_exit();
    INFO(process.err());
    REQUIRE(code.has_value());
    CHECK(*code == 0);
  };
  tick("2026-11-30T09:00:00Z");
  CHECK(connector.calls().size() == 1);
  CHECK(messages(connector).empty());
  tick("2026-11-30T09:05:00Z");
  const auto sent = messages(connector);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].operation == "send");
  CHECK(sent[0].conversation == kChat);
  CHECK_THAT(shown(sent[0]), Catch::Contains("Time for your weekly check-in"));
  CHECK(sent[0].body.at("attachments").at(0).at("content").at("actions").dump().find(
            "Snooze 2h") != std::string::npos);
}
