// The Slack MessageSender against the fake Slack Web API on loopback: which methods each kind
// of outbox row calls, and how failures are classified for the dispatcher.
#include <chrono>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/http/client.hpp"
#include "bot/slack/slack_sender.hpp"
#include "bot/slack/web_api.hpp"
#include "tests/support/fake_slack.hpp"

using nlohmann::json;
using okr::bot::pipeline::SendOutcome;
using okr::bot::slack::SlackSender;
using okr::storage::OutboxRow;
using okr::test::Fault;
using okr::test::FaultKind;

namespace {

struct Fixture {
  okr::test::FakeSlack fake;
  okr::bot::http::HttpClient client;
  okr::bot::slack::WebApi api{client, fake.api_url(), fake.token()};
  SlackSender sender{api};
};

OutboxRow row(std::string kind, std::string text, long long id = 1) {
  OutboxRow r;
  r.id = id;
  r.address.platform = "slack";
  r.address.workspace = "T1";
  r.address.conversation = "U2PERSON";
  r.address.user = "U2PERSON";
  r.address.kind = std::move(kind);
  r.message.text = std::move(text);
  return r;
}

}  // namespace

TEST_CASE("a post to a person opens their DM once, then posts blocks with a text fallback",
          "[slack][sender]") {
  Fixture f;
  auto message = row("post", "What do you want to achieve this cycle?");
  message.message.question = okr::dialogs::Question{"ask", {{"a", "A", 1, {}}}};
  const auto first = f.sender.send(message);
  CHECK(first.kind == SendOutcome::Kind::sent);
  CHECK(!first.ref.empty());
  CHECK(f.sender.send(row("post", "Second", 2)).kind == SendOutcome::Kind::sent);
  CHECK(f.fake.calls_to("conversations.open").size() == 1);
  const auto posts = f.fake.calls_to("chat.postMessage");
  REQUIRE(posts.size() == 2);
  CHECK(posts[0].json.at("channel") == "D2PERSON");
  CHECK(posts[0].json.at("text").get<std::string>().find("What do you want") == 0);
  CHECK(posts[0].json.at("blocks").back().at("type") == "actions");
}

TEST_CASE("a message too big for one Slack message is posted in parts", "[slack][sender]") {
  Fixture f;
  std::string huge;
  for (int i = 0; i < 60; ++i)
    huge += std::string(2900, 'x') + "\n";
  CHECK(f.sender.send(row("post", huge)).kind == SendOutcome::Kind::sent);
  const auto posts = f.fake.calls_to("chat.postMessage");
  REQUIRE(posts.size() == 2);
  CHECK(posts[0].json.at("blocks").size() == 50);
  CHECK(posts[1].json.at("blocks").size() == 10);
}

TEST_CASE("Slack's answers are classified for the dispatcher", "[slack][sender]") {
  Fixture f;
  f.sender.send(row("post", "open the DM first"));

  f.fake.fail_next(1, Fault{FaultKind::rate_limited, 7, {}, {}});
  const auto limited = f.sender.send(row("post", "hello"));
  CHECK(limited.kind == SendOutcome::Kind::retry_after);
  CHECK(limited.retry_after == std::chrono::seconds(7));
  CHECK(limited.scope == "slack:T1:chat.postMessage");

  f.fake.fail_next(1, Fault{FaultKind::server_error, 1, {}, {}});
  CHECK(f.sender.send(row("post", "hello")).kind == SendOutcome::Kind::retryable);

  f.fake.fail_next(1, Fault{FaultKind::slack_error, 1, {}, "channel_not_found"});
  const auto gone = f.sender.send(row("post", "hello"));
  CHECK(gone.kind == SendOutcome::Kind::permanent);
  CHECK(gone.detail.find("channel_not_found") != std::string::npos);
  CHECK(gone.detail.find(f.fake.token()) == std::string::npos);

  CHECK(f.sender.rate_scope(row("update", "x")) == "slack:T1:chat.update");
}

TEST_CASE("update, response_url and Home rows call their own methods", "[slack][sender]") {
  Fixture f;
  auto update = row("update", "Shall I save it?");
  update.address.target = "1700000000.000200";
  update.platform_payload =
      json{{"channel", "D2PERSON"}, {"text", "Shall I save it?"}, {"blocks", json::array()}}.dump();
  CHECK(f.sender.send(update).kind == SendOutcome::Kind::sent);
  const auto updates = f.fake.calls_to("chat.update");
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].json.at("channel") == "D2PERSON");
  CHECK(updates[0].json.at("ts") == "1700000000.000200");

  auto answer = row("response_url", "Here is where your OKRs stand.");
  answer.address.target = f.fake.response_url("abc");
  CHECK(f.sender.send(answer).kind == SendOutcome::Kind::sent);
  const auto responses = f.fake.calls_to("response_url");
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].json.at("response_type") == "ephemeral");
  CHECK(responses[0].json.at("text") == "Here is where your OKRs stand.");

  auto home = row("view_publish", "Here is where your OKRs stand.");
  CHECK(f.sender.send(home).kind == SendOutcome::Kind::sent);
  const auto views = f.fake.calls_to("views.publish");
  REQUIRE(views.size() == 1);
  CHECK(views[0].json.at("user_id") == "U2PERSON");
  CHECK(views[0].json.at("view").at("type") == "home");
  CHECK(views[0].json.at("view").at("blocks").at(0).at("type") == "actions");
}

TEST_CASE("a response_url post that may have been shown is given up; a refused one is retried",
          "[slack][sender][response_url]") {
  Fixture f;
  auto answer = row("response_url", "Here is where your OKRs stand.");
  answer.address.target = f.fake.response_url("maybe-shown");

  // Read whole, then the connection closes without an answer: Slack may have shown it.
  f.fake.fail_next_to("response_url", 1, Fault{FaultKind::dropped_connection});
  const auto unknown = f.sender.send(answer);
  CHECK(unknown.kind == SendOutcome::Kind::permanent);
  CHECK(unknown.detail.find("outcome unknown") != std::string::npos);
  CHECK(unknown.detail.find("maybe-shown") == std::string::npos);  // the URL is a credential
  CHECK(f.fake.calls_to("response_url").size() == 1);

  // A 500 proves Slack did not act on it: the dispatcher may send it again.
  f.fake.fail_next_to("response_url", 1, Fault{FaultKind::server_error});
  CHECK(f.sender.send(answer).kind == SendOutcome::Kind::retryable);
  CHECK(f.sender.send(answer).kind == SendOutcome::Kind::sent);
}

TEST_CASE("a response_url post sent whole and answered too late is given up, not sent again",
          "[slack][sender][response_url]") {
  okr::test::FakeSlack fake;
  okr::bot::http::ClientOptions options;
  options.total_timeout = std::chrono::milliseconds(200);
  okr::bot::http::HttpClient client(options);
  okr::bot::slack::WebApi api{client, fake.api_url(), fake.token()};
  SlackSender sender{api};
  auto answer = row("response_url", "Here is where your OKRs stand.");
  answer.address.target = fake.response_url("slow-answer");

  // Slack read it whole and is still working on it when our time runs out: it may show it.
  fake.fail_next_to("response_url", 1, Fault{FaultKind::delay, 0, std::chrono::seconds(3), {}});
  const auto late = sender.send(answer);
  CHECK(late.kind == SendOutcome::Kind::permanent);
  CHECK(late.detail.find("outcome unknown") != std::string::npos);
  CHECK(late.detail.find("slow-answer") == std::string::npos);  // the URL is a credential
  CHECK(fake.calls_to("response_url").size() == 1);
}
