// The Slack sender with one token per workspace: each row goes out with its workspace's token,
// a workspace without one is dead-lettered at once, and a token lookup that cannot finish yet
// (a refresh Slack could not answer) is retried.
#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "bot/http/client.hpp"
#include "bot/slack/slack_sender.hpp"
#include "bot/slack/web_api.hpp"
#include "tests/support/fake_slack.hpp"

using okr::bot::pipeline::SendOutcome;
using okr::bot::slack::SlackSender;
using okr::storage::OutboxRow;

namespace {

OutboxRow post_to(const std::string& workspace, long long id) {
  OutboxRow r;
  r.id = id;
  r.address.platform = "slack";
  r.address.workspace = workspace;
  r.address.conversation = "U2PERSON";
  r.address.user = "U2PERSON";
  r.address.kind = "post";
  r.message.text = "Hello from your coach";
  return r;
}

}  // namespace

TEST_CASE("each outbox row is sent with its own workspace's token", "[slack][sender][oauth]") {
  okr::test::FakeSlack fake;
  okr::bot::http::HttpClient client;
  // The client's own token is not the fake's: only the looked-up one can succeed.
  okr::bot::slack::WebApi api{client, fake.api_url(), "xoxb-not-this-one"};
  std::string asked;
  SlackSender sender(api, [&](const std::string& workspace) -> std::optional<std::string> {
    asked = workspace;
    if (workspace == "T0FAKE01")
      return fake.token();
    return std::nullopt;
  });
  const auto sent = sender.send(post_to("T0FAKE01", 1));
  CHECK(sent.kind == SendOutcome::Kind::sent);
  CHECK(asked == "T0FAKE01");
  const auto posts = fake.calls_to("chat.postMessage");
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].header("Authorization") == "Bearer " + fake.token());
  CHECK(posts[0].team_id == "T0FAKE01");
}

TEST_CASE("a row for a workspace the coach has no token for is dead-lettered without a call",
          "[slack][sender][oauth]") {
  okr::test::FakeSlack fake;
  okr::bot::http::HttpClient client;
  okr::bot::slack::WebApi api{client, fake.api_url(), fake.token()};
  SlackSender sender(api, [](const std::string&) { return std::optional<std::string>(); });
  const auto outcome = sender.send(post_to("T0GONE", 1));
  CHECK(outcome.kind == SendOutcome::Kind::permanent);
  CHECK(outcome.detail.find("T0GONE is not installed") != std::string::npos);
  CHECK(fake.calls().empty());
}

TEST_CASE("a token lookup that failed for a passing reason is retried, a broken one is not",
          "[slack][sender][oauth]") {
  okr::test::FakeSlack fake;
  okr::bot::http::HttpClient client;
  okr::bot::slack::WebApi api{client, fake.api_url(), fake.token()};
  SlackSender refreshing(api, [](const std::string&) -> std::optional<std::string> {
    throw okr::bot::slack::SlackApiError("oauth.v2.access", "http_503",
                                         okr::bot::slack::Retry::later, 503, std::nullopt);
  });
  CHECK(refreshing.send(post_to("T1", 1)).kind == SendOutcome::Kind::retryable);
  SlackSender unreadable(api, [](const std::string&) -> std::optional<std::string> {
    throw std::runtime_error("the stored bot_token of workspace T1 does not open with key ab");
  });
  const auto outcome = unreadable.send(post_to("T1", 2));
  CHECK(outcome.kind == SendOutcome::Kind::permanent);
  CHECK(outcome.detail.find("does not open") != std::string::npos);
  CHECK(fake.calls().empty());
}
