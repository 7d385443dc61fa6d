#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/http/router.hpp"
#include "bot/slack/action_ids.hpp"
#include "bot/slack/form.hpp"
#include "bot/slack/signature.hpp"
#include "bot/slack/slack_routes.hpp"

using namespace okr::bot::slack;
using nlohmann::json;
using okr::bot::http::HttpRequest;
using okr::bot::http::HttpResponse;
using okr::bot::http::Router;

namespace {

const std::string kSecret = "test-signing-secret";
constexpr long long kNow = 1700000000;

// Records what the routes hand over, deduplicating like the inbox does.
struct Pipeline {
  std::vector<SlackRequest> accepted;
  std::set<std::string> keys;
  bool accept(const SlackRequest& request) {
    if (!keys.insert(request.event_key).second)
      return false;
    accepted.push_back(request);
    return true;
  }
};

struct Harness {
  Pipeline pipeline;
  Router router;
  std::vector<std::string> outcomes;

  explicit Harness(SlackRouteSettings settings = {kSecret, "xoxb-test", {"UBOT", "BBOT"}}) {
    add_slack_routes(
        router, settings,
        hand_over_at_once([this](const SlackRequest& r) { return pipeline.accept(r); }),
        [] { return okr::dialogs::TimePoint{std::chrono::seconds{kNow}}; },
        [this](const std::string& route, const std::string& outcome) {
          outcomes.push_back(route + ":" + outcome);
        });
  }

  HttpResponse post(const std::string& path, const std::string& body, long long timestamp = kNow,
                    const std::string& secret = kSecret) {
    HttpRequest request;
    request.method = "POST";
    request.path = path;
    request.body = body;
    request.remote_address = "127.0.0.1";
    const auto ts = std::to_string(timestamp);
    request.headers = {{"x-slack-request-timestamp", ts},
                       {"X-Slack-Signature", compute_signature(secret, ts, body)}};
    return handle(std::move(request));
  }

  // The Slack routes answer later; here the hand-over is immediate, so the answer is in at once.
  HttpResponse handle(HttpRequest request) {
    const auto match = router.match(request.method, request.path);
    std::optional<HttpResponse> answer;
    router.dispatch_deferred(match, std::move(request),
                             [&answer](HttpResponse response) { answer = std::move(response); });
    REQUIRE(answer);
    return *answer;
  }
};

std::string dm_event(const std::string& event_id, const std::string& text) {
  return json{{"type", "event_callback"},
              {"team_id", "T1"},
              {"api_app_id", "A1"},
              {"event_id", event_id},
              {"event_time", kNow},
              {"event",
               {{"type", "message"},
                {"channel", "D1"},
                {"user", "U1"},
                {"text", text},
                {"ts", "1700000000.000100"},
                {"channel_type", "im"}}}}
      .dump();
}

std::string command(const std::string& text) {
  return "token=x&team_id=T1&channel_id=C1&user_id=U1&command=%2Fokr&text=" + form_encode(text) +
         "&response_url=" + form_encode("http://127.0.0.1:9/response/1") + "&trigger_id=trig-" +
         form_encode(text);
}

}  // namespace

TEST_CASE("Slack routes answer 503 slack_not_configured without a secret or token",
          "[slack][routes]") {
  for (const SlackRouteSettings& settings :
       {SlackRouteSettings{"", "xoxb-test", {}}, SlackRouteSettings{kSecret, "", {}}}) {
    Harness harness(settings);
    for (const char* path : {"/slack/events", "/slack/commands", "/slack/interactive"}) {
      const auto response = harness.post(path, dm_event("Ev1", "hi"));
      CHECK(response.status == 503);
      CHECK(json::parse(response.body)["error"] == "slack_not_configured");
    }
    CHECK(harness.pipeline.accepted.empty());
  }
}

TEST_CASE("a bad or stale signature is 401 and nothing is processed", "[slack][routes]") {
  Harness harness;
  const auto body = dm_event("Ev1", "draft");
  const auto wrong = harness.post("/slack/events", body, kNow, "another-secret");
  CHECK(wrong.status == 401);
  CHECK(json::parse(wrong.body)["error"] == "invalid_signature");
  CHECK(wrong.body.find(kSecret) == std::string::npos);
  CHECK(harness.post("/slack/events", body, kNow - 301).status == 401);
  CHECK(harness.post("/slack/commands", command("draft"), kNow, "x").status == 401);
  CHECK(harness.post("/slack/interactive", "payload=%7B%7D", kNow, "x").status == 401);

  HttpRequest unsigned_request;
  unsigned_request.method = "POST";
  unsigned_request.path = "/slack/events";
  unsigned_request.body = body;
  CHECK(harness.handle(unsigned_request).status == 401);
  CHECK(harness.pipeline.accepted.empty());
  CHECK(harness.outcomes.front() == "events:signature_rejected");
}

TEST_CASE("url_verification is answered with its challenge", "[slack][routes]") {
  Harness harness;
  const auto response = harness.post(
      "/slack/events", R"({"token":"t","challenge":"c-123","type":"url_verification"})");
  CHECK(response.status == 200);
  CHECK(json::parse(response.body)["challenge"] == "c-123");
}

TEST_CASE("a malformed but signed body is 400 naming the problem", "[slack][routes]") {
  Harness harness;
  const auto response = harness.post("/slack/events", R"({"type":"event_callback"})");
  CHECK(response.status == 400);
  CHECK(json::parse(response.body)["message"] == "event_callback without event_id");
  CHECK(harness.post("/slack/commands", "text=draft").status == 400);
  CHECK(harness.post("/slack/interactive", "nothing=here").status == 400);
}

TEST_CASE("a DM is handed over once as a turn in the person's DM; a retry is acknowledged",
          "[slack][routes]") {
  Harness harness;
  CHECK(harness.post("/slack/events", dm_event("Ev42", "draft")).status == 200);
  CHECK(harness.post("/slack/events", dm_event("Ev42", "draft")).status == 200);
  REQUIRE(harness.pipeline.accepted.size() == 1);
  const auto& request = harness.pipeline.accepted[0];
  CHECK(request.kind == SlackRequest::Kind::turn);
  CHECK(request.event_key == "Ev42");
  CHECK(request.message.text == "draft");
  CHECK(request.message.conversation == dm_conversation("U1"));
  CHECK(request.reply_to.platform == "slack");
  CHECK(request.reply_to.workspace == "T1");
  CHECK(request.reply_to.conversation == "U1");
  CHECK(request.reply_to.kind == "post");
  CHECK(harness.outcomes.back() == "events:duplicate");
}

TEST_CASE("our own messages are acknowledged and not handed over", "[slack][routes]") {
  Harness harness;
  auto body = json::parse(dm_event("Ev7", "Here is what I heard"));
  body["event"]["user"] = "UBOT";
  CHECK(harness.post("/slack/events", body.dump()).status == 200);
  body["event"]["user"] = "U1";
  body["event"]["bot_id"] = "BBOT";
  CHECK(harness.post("/slack/events", body.dump()).status == 200);
  CHECK(harness.pipeline.accepted.empty());
}

TEST_CASE("/okr draft acknowledges ephemerally and continues in the DM", "[slack][routes]") {
  Harness harness;
  const auto response = harness.post("/slack/commands", command("draft"));
  CHECK(response.status == 200);
  const auto body = json::parse(response.body);
  CHECK(body["response_type"] == "ephemeral");
  CHECK(body["text"].get<std::string>().find("direct messages") != std::string::npos);
  REQUIRE(harness.pipeline.accepted.size() == 1);
  CHECK(harness.pipeline.accepted[0].message.text == "draft");
  CHECK(harness.pipeline.accepted[0].message.conversation == dm_conversation("U1"));
  CHECK(harness.pipeline.accepted[0].reply_to.kind == "post");
}

TEST_CASE("/okr with unknown text answers the help without a turn", "[slack][routes]") {
  Harness harness;
  const auto response = harness.post("/slack/commands", command("what"));
  CHECK(response.status == 200);
  CHECK(json::parse(response.body)["text"].get<std::string>().find("/okr checkin") !=
        std::string::npos);
  CHECK(harness.pipeline.accepted.empty());
}

TEST_CASE("/okr list answers through the response_url", "[slack][routes]") {
  Harness harness;
  CHECK(harness.post("/slack/commands", command("list")).status == 200);
  REQUIRE(harness.pipeline.accepted.size() == 1);
  CHECK(harness.pipeline.accepted[0].message.text == "okrs");
  CHECK(harness.pipeline.accepted[0].reply_to.kind == "response_url");
  CHECK(harness.pipeline.accepted[0].message.conversation != dm_conversation("U1"));
  CHECK(harness.pipeline.accepted[0].reply_to.target == "http://127.0.0.1:9/response/1");
}

TEST_CASE("a Confirm click becomes the summary action and updates the clicked message",
          "[slack][routes]") {
  Harness harness;
  const json blocks = json::array(
      {{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", "Shall I save it?"}}}},
       {{"type", "actions"},
        {"elements", json::array({{{"type", "button"},
                                   {"action_id", button_action_id("summary", 0)},
                                   {"text", {{"type", "plain_text"}, {"text", "Confirm"}}},
                                   {"value", "confirm"}}})}}});
  const json payload = {
      {"type", "block_actions"},
      {"team", {{"id", "T1"}}},
      {"user", {{"id", "U1"}}},
      {"container",
       {{"type", "message"}, {"message_ts", "1700000000.000200"}, {"channel_id", "D1"}}},
      {"message", {{"type", "message"}, {"text", "Shall I save it?"}, {"blocks", blocks}}},
      {"actions", json::array({{{"action_id", button_action_id("summary", 0)},
                                {"type", "button"},
                                {"value", "confirm"},
                                {"text", {{"type", "plain_text"}, {"text", "Confirm"}}},
                                {"action_ts", "1700000001.1"}}})}};
  const auto body = "payload=" + form_encode(payload.dump());
  CHECK(harness.post("/slack/interactive", body).status == 200);
  CHECK(harness.post("/slack/interactive", body).status == 200);  // Slack retried
  REQUIRE(harness.pipeline.accepted.size() == 1);
  const auto& request = harness.pipeline.accepted[0];
  REQUIRE(request.message.action);
  CHECK(request.message.action->id == "summary");
  CHECK(request.message.action->value == "confirm");
  CHECK(request.message.conversation == dm_conversation("U1"));
  REQUIRE(request.immediate.size() == 1);
  CHECK(request.immediate[0].address.kind == "update");
  CHECK(request.immediate[0].address.target == "1700000000.000200");
  const auto update = json::parse(request.immediate[0].platform_payload);
  CHECK(update["channel"] == "D1");
  CHECK(update["blocks"].dump().find("actions") == std::string::npos);
  CHECK(update["blocks"].dump().find("Confirm") != std::string::npos);
}

TEST_CASE("app_home_opened asks for the Home tab to be published", "[slack][routes]") {
  Harness harness;
  const json body = {
      {"type", "event_callback"},
      {"team_id", "T1"},
      {"event_id", "EvHome"},
      {"event", {{"type", "app_home_opened"}, {"user", "U1"}, {"channel", "D1"}, {"tab", "home"}}}};
  CHECK(harness.post("/slack/events", body.dump()).status == 200);
  REQUIRE(harness.pipeline.accepted.size() == 1);
  CHECK(harness.pipeline.accepted[0].kind == SlackRequest::Kind::home);
  CHECK(harness.pipeline.accepted[0].reply_to.kind == "view_publish");
  CHECK(harness.pipeline.accepted[0].reply_to.user == "U1");
}
