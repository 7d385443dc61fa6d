// The Slack Web API client against the fake Slack on 127.0.0.1 port 0: the shape of every
// request we send, and how each kind of failure reaches the caller.
#include <chrono>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/http/client.hpp"
#include "bot/slack/web_api.hpp"
#include "config/config.hpp"
#include "tests/support/fake_slack.hpp"

using nlohmann::json;
using okr::bot::http::ClientOptions;
using okr::bot::http::HttpClient;
using okr::bot::slack::Retry;
using okr::bot::slack::SlackApiError;
using okr::bot::slack::WebApi;
using okr::test::FakeSlack;
using okr::test::Fault;
using okr::test::FaultKind;
using okr::test::RecordedCall;
using namespace std::chrono_literals;

namespace {

struct Fixture {
  explicit Fixture(ClientOptions options = {})
      : client(options), api(client, fake.api_url(), fake.token()) {}
  FakeSlack fake;
  HttpClient client;
  WebApi api;

  RecordedCall only_call(const std::string& method) const {
    const auto calls = fake.calls_to(method);
    REQUIRE(calls.size() == 1);
    return calls[0];
  }
};

// Every Web API call is a JSON POST with our bearer token.
void check_shape(const RecordedCall& call, const std::string& method, const std::string& token) {
  CHECK(call.path == "/api/" + method);
  CHECK(call.header("Authorization") == "Bearer " + token);
  CHECK(call.header("Content-Type") == "application/json; charset=utf-8");
  CHECK(call.json.is_object());
}

SlackApiError failure_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const SlackApiError& error) {
    return error;
  }
  FAIL("the call was expected to throw SlackApiError");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("auth.test tells our bot user id", "[slack][web_api]") {
  Fixture f;
  const auto identity = f.api.auth_test();
  CHECK(identity.user_id == "UBOT0001");
  CHECK(identity.team_id == "T0FAKE01");
  CHECK(identity.bot_id == "B0FAKE01");
  check_shape(f.only_call("auth.test"), "auth.test", f.fake.token());
}

TEST_CASE("chat.postMessage sends the message fields and returns channel and ts",
          "[slack][web_api]") {
  Fixture f;
  const json blocks =
      json::array({{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", "*Hi* ü"}}}}});
  const auto posted =
      f.api.post_message({{"channel", "D0USER1"}, {"text", "Hi ü"}, {"blocks", blocks}});
  CHECK(posted.channel == "D0USER1");
  CHECK_FALSE(posted.ts.empty());
  const auto call = f.only_call("chat.postMessage");
  check_shape(call, "chat.postMessage", f.fake.token());
  CHECK(call.json.at("channel") == "D0USER1");
  CHECK(call.json.at("text") == "Hi ü");
  CHECK(call.json.at("blocks") == blocks);
}

TEST_CASE("chat.update, chat.postEphemeral and conversations.open send what Slack expects",
          "[slack][web_api]") {
  Fixture f;
  SECTION("chat.update keeps the message ts") {
    const auto updated =
        f.api.update_message({{"channel", "D0USER1"}, {"ts", "1.000200"}, {"text", "new"}});
    CHECK(updated.ts == "1.000200");
    const auto call = f.only_call("chat.update");
    check_shape(call, "chat.update", f.fake.token());
    CHECK(call.json.at("ts") == "1.000200");
    CHECK(call.json.at("text") == "new");
  }
  SECTION("chat.postEphemeral returns message_ts") {
    const auto ts =
        f.api.post_ephemeral({{"channel", "C0TEAM"}, {"user", "U0USER1"}, {"text", "psst"}});
    CHECK_FALSE(ts.empty());
    const auto call = f.only_call("chat.postEphemeral");
    check_shape(call, "chat.postEphemeral", f.fake.token());
    CHECK(call.json.at("user") == "U0USER1");
  }
  SECTION("conversations.open returns the DM channel id") {
    CHECK(f.api.open_dm("U0USER1") == "D0USER1");
    const auto call = f.only_call("conversations.open");
    check_shape(call, "conversations.open", f.fake.token());
    CHECK(call.json == json{{"users", "U0USER1"}});
  }
}

TEST_CASE("views.publish, views.open and users.info send what Slack expects", "[slack][web_api]") {
  Fixture f;
  const json view = {{"type", "home"}, {"blocks", json::array()}};
  SECTION("views.publish sends user_id and the view") {
    f.api.publish_home("U0USER1", view);
    const auto call = f.only_call("views.publish");
    check_shape(call, "views.publish", f.fake.token());
    CHECK(call.json == json{{"user_id", "U0USER1"}, {"view", view}});
  }
  SECTION("views.open sends trigger_id and returns the view id") {
    CHECK(f.api.open_view("trig.123", view).starts_with("V"));
    const auto call = f.only_call("views.open");
    check_shape(call, "views.open", f.fake.token());
    CHECK(call.json.at("trigger_id") == "trig.123");
  }
  SECTION("users.info returns the user's time zone") {
    f.fake.set_user_tz("U0USER1", "America/Los_Angeles", -25200);
    const auto info = f.api.user_info("U0USER1");
    CHECK(info.id == "U0USER1");
    CHECK(info.tz == "America/Los_Angeles");
    CHECK(info.tz_offset == -25200);
    CHECK(info.display_name == "Display U0USER1");
    // A read method: form-encoded arguments, not JSON.
    const auto call = f.only_call("users.info");
    CHECK(call.path == "/api/users.info");
    CHECK(call.header("Authorization") == "Bearer " + f.fake.token());
    CHECK(call.header("Content-Type") == "application/x-www-form-urlencoded");
    CHECK(call.body == "user=U0USER1");
  }
}

TEST_CASE("a response_url post sends JSON without the bot token", "[slack][web_api]") {
  Fixture f;
  f.api.post_response_url(f.fake.response_url("abc"),
                          {{"text", "done"}, {"replace_original", true}});
  const auto call = f.only_call("response_url");
  CHECK(call.path == "/response/abc");
  CHECK(call.json.at("text") == "done");
  CHECK(call.header("Content-Type") == "application/json; charset=utf-8");
  CHECK_FALSE(call.header("Authorization").has_value());
}

TEST_CASE("ok:false becomes a SlackApiError with Slack's code and its retry class",
          "[slack][web_api]") {
  Fixture f;
  f.fake.fail_next(1, Fault{FaultKind::slack_error, 0, 0ms, "channel_not_found"});
  const auto permanent = failure_of([&] {
    f.api.post_message({{"channel", "C0GONE"}, {"text", "x"}});
  });
  CHECK(permanent.code() == "channel_not_found");
  CHECK(permanent.method() == "chat.postMessage");
  CHECK(permanent.permanent());
  CHECK(permanent.http_status() == 200);

  f.fake.fail_next(1, Fault{FaultKind::slack_error, 0, 0ms, "internal_error"});
  const auto transient = failure_of([&] { f.api.auth_test(); });
  CHECK(transient.code() == "internal_error");
  CHECK(transient.retry() == Retry::later);
}

TEST_CASE("a 429 surfaces ratelimited with the Retry-After seconds", "[slack][web_api]") {
  Fixture f;
  f.fake.fail_next(1, Fault{FaultKind::rate_limited, 7, 0ms, {}});
  const auto error = failure_of([&] { f.api.post_message({{"channel", "D1"}, {"text", "x"}}); });
  CHECK(error.code() == "ratelimited");
  CHECK(error.http_status() == 429);
  CHECK(error.retry() == Retry::later);
  REQUIRE(error.retry_after().has_value());
  CHECK(*error.retry_after() == 7s);
  // The next call goes through.
  CHECK(f.api.post_message({{"channel", "D1"}, {"text", "x"}}).channel == "D1");
}

TEST_CASE("a 5xx answer and a timeout are retryable", "[slack][web_api]") {
  SECTION("500") {
    Fixture f;
    f.fake.fail_next(1, Fault{FaultKind::server_error, 0, 0ms, {}});
    const auto error = failure_of([&] { f.api.auth_test(); });
    CHECK(error.code() == "http_500");
    CHECK(error.retry() == Retry::later);
  }
  SECTION("timeout") {
    ClientOptions options;
    options.total_timeout = 200ms;
    Fixture f(options);
    f.fake.fail_next(1, Fault{FaultKind::delay, 0, 5s, {}});
    // conversations.open is a POST sent whole before the time ran out: Slack may have acted on
    // it, so the code says the outcome is unknown; asking again later is still right.
    const auto error = failure_of([&] { f.api.open_dm("U0USER1"); });
    CHECK(error.code() == "outcome_unknown");
    CHECK(error.http_status() == 0);
    CHECK(error.retry() == Retry::later);
  }
}

TEST_CASE("a wrong token is a permanent invalid_auth and no error text carries a token",
          "[slack][web_api]") {
  FakeSlack fake;
  HttpClient client;
  const std::string wrong = "xoxb-wrong-token-never-printed";
  WebApi api(client, fake.api_url(), wrong);
  const auto error = failure_of([&] { api.auth_test(); });
  CHECK(error.code() == "invalid_auth");
  CHECK(error.permanent());
  const std::string text = error.what();
  CHECK(text.find("invalid_auth") != std::string::npos);
  CHECK(text.find(wrong) == std::string::npos);
  CHECK(text.find(fake.token()) == std::string::npos);

  // Nor does a transport error.
  ClientOptions quick;
  quick.total_timeout = 200ms;
  HttpClient impatient(quick);
  WebApi slow_api(impatient, fake.api_url(), fake.token());
  fake.fail_next(1, Fault{FaultKind::delay, 0, 5s, {}});
  const auto timeout = failure_of([&] { slow_api.auth_test(); });
  CHECK(std::string(timeout.what()).find(fake.token()) == std::string::npos);
}

TEST_CASE("the Web API client takes its URL and token from the config", "[slack][web_api]") {
  FakeSlack fake;
  HttpClient client;
  okr::config::Config config;
  config.slack_api_url = fake.api_url();
  config.slack_bot_token = fake.token();
  WebApi api(client, config);
  CHECK(api.auth_test().user_id == "UBOT0001");
}

TEST_CASE("Slack error codes are classified as permanent or retryable", "[slack][web_api]") {
  using okr::bot::slack::classify_slack_error;
  for (const char* code :
       {"channel_not_found", "not_in_channel", "invalid_auth", "account_inactive", "token_revoked",
        "is_archived", "msg_too_long", "invalid_blocks", "some_future_code"}) {
    INFO(code);
    CHECK(classify_slack_error(code) == Retry::never);
  }
  for (const char* code :
       {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}) {
    INFO(code);
    CHECK(classify_slack_error(code) == Retry::later);
  }
}

TEST_CASE("the fake's percentage faults are reproducible from the seed", "[slack][fake]") {
  auto pattern = [](unsigned seed) {
    Fixture f;
    f.fake.fail_percent(50, Fault{FaultKind::server_error, 0, 0ms, {}}, seed);
    std::string outcome;
    for (int i = 0; i < 16; ++i) {
      try {
        f.api.auth_test();
        outcome += '.';
      } catch (const SlackApiError&) {
        outcome += 'x';
      }
    }
    return outcome;
  };
  const auto first = pattern(42);
  CHECK(first == pattern(42));
  CHECK(first.find('.') != std::string::npos);
  CHECK(first.find('x') != std::string::npos);
}
