#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/teams/activity.hpp"

using nlohmann::json;
using okr::bot::teams::ActivityError;
using okr::bot::teams::parse_activity;
using okr::bot::teams::TeamsActivity;

namespace {

json message_activity(const std::string& text) {
  return {{"type", "message"},
          {"id", "1700000000001"},
          {"serviceUrl", "https://smba.example/amer/"},
          {"channelId", "msteams"},
          {"from", {{"id", "29:ana"}, {"name", "Ana"}, {"aadObjectId", "aad-ana"}}},
          {"recipient", {{"id", "28:app-id"}, {"name", "OKR Coach"}}},
          {"conversation", {{"id", "a:chat-1"}, {"conversationType", "personal"}}},
          {"channelData", {{"tenant", {{"id", "tenant-1"}}}}},
          {"text", text},
          {"entities",
           json::array({{{"type", "clientInfo"},
                         {"locale", "de-DE"},
                         {"timezone", "Europe/Berlin"}}})}};
}

}  // namespace

TEST_CASE("a Teams text message becomes a neutral inbound of the tenant's person",
          "[teams][activity]") {
  const auto activity = parse_activity(message_activity("  draft  ").dump());
  CHECK(activity.kind == TeamsActivity::Kind::message);
  CHECK(activity.message.platform == "teams");
  CHECK(activity.message.workspace == "tenant-1");
  CHECK(activity.message.user == "29:ana");
  CHECK(activity.message.conversation == "a:chat-1");
  CHECK(activity.message.text == "draft");
  CHECK_FALSE(activity.message.action);
  CHECK(activity.time_zone == "Europe/Berlin");
  CHECK(activity.service_url == "https://smba.example/amer/");
  CHECK(activity.id == "1700000000001");
}

TEST_CASE("the bot's @mention is stripped using the mention entity", "[teams][activity]") {
  auto body = message_activity("<at>OKR Coach</at> check in");
  body["conversation"]["conversationType"] = "channel";
  body["entities"].push_back({{"type", "mention"},
                              {"text", "<at>OKR Coach</at>"},
                              {"mentioned", {{"id", "28:app-id"}, {"name", "OKR Coach"}}}});
  CHECK(parse_activity(body.dump()).message.text == "check in");

  // Someone else's mention stays: it is part of what the person said.
  auto other = message_activity("ask <at>Bo</at> please");
  other["entities"].push_back(
      {{"type", "mention"}, {"text", "<at>Bo</at>"}, {"mentioned", {{"id", "29:bo"}}}});
  CHECK(parse_activity(other.dump()).message.text == "ask <at>Bo</at> please");
}

TEST_CASE("an Adaptive Card submit maps its data to the neutral action", "[teams][activity]") {
  auto body = message_activity("");
  body.erase("text");
  body["replyToId"] = "card-activity-7";
  body["value"] = {{"okr_action", "summary"}, {"okr_value", "confirm"}, {"okr_label", "Confirm"}};
  const auto activity = parse_activity(body.dump());
  REQUIRE(activity.message.action);
  CHECK(activity.message.action->id == "summary");
  CHECK(activity.message.action->value == "confirm");
  CHECK(activity.message.text.empty());
  CHECK(activity.reply_to_id == "card-activity-7");
  CHECK(activity.clicked_label == "Confirm");

  // A ChoiceSet's choice comes back under the input's id, named by the data.
  body["value"] = {{"okr_action", "confidence"}, {"okr_input", "okr_scale"}, {"okr_scale", "7"}};
  const auto scale = parse_activity(body.dump());
  REQUIRE(scale.message.action);
  CHECK(scale.message.action->value == "7");

  body["value"] = {{"okr_action", "confidence"}, {"okr_input", "okr_scale"}};
  CHECK_THROWS_WITH(parse_activity(body.dump()), Catch::Contains("okr_scale"));
}

TEST_CASE("installing the bot and adding it to a conversation are recognised; others ignored",
          "[teams][activity]") {
  auto added = message_activity("");
  added["type"] = "conversationUpdate";
  added["membersAdded"] = json::array({{{"id", "28:app-id"}}});
  CHECK(parse_activity(added.dump()).kind == TeamsActivity::Kind::bot_added);

  added["membersAdded"] = json::array({{{"id", "29:bo"}}});
  CHECK(parse_activity(added.dump()).kind == TeamsActivity::Kind::ignored);

  auto install = message_activity("");
  install["type"] = "installationUpdate";
  install["action"] = "add";
  CHECK(parse_activity(install.dump()).kind == TeamsActivity::Kind::bot_added);
  install["action"] = "remove";
  CHECK(parse_activity(install.dump()).kind == TeamsActivity::Kind::bot_removed);

  auto reaction = message_activity("");
  reaction["type"] = "messageReaction";
  CHECK(parse_activity(reaction.dump()).kind == TeamsActivity::Kind::ignored);
}

TEST_CASE("a malformed activity is refused naming what is wrong", "[teams][activity]") {
  CHECK_THROWS_AS(parse_activity("not json"), ActivityError);
  auto body = message_activity("hi");
  body.erase("serviceUrl");
  CHECK_THROWS_WITH(parse_activity(body.dump()), Catch::Contains("serviceUrl"));
  body = message_activity("hi");
  body["conversation"].erase("id");
  CHECK_THROWS_WITH(parse_activity(body.dump()), Catch::Contains("conversation.id"));
  body = message_activity("hi");
  body.erase("channelData");
  CHECK_THROWS_WITH(parse_activity(body.dump()), Catch::Contains("tenant"));
  body = message_activity("hi");
  body["id"] = 5;
  CHECK_THROWS_WITH(parse_activity(body.dump()), Catch::Contains("id"));
  body = message_activity("");
  body["value"] = {{"kind", "checkin"}};
  CHECK_THROWS_WITH(parse_activity(body.dump()), Catch::Contains("okr_action"));
}

// Found by the teams_activity fuzzer: a member that should be an object but is a string made
// nlohmann throw a type_error, which no caller expects, instead of reading the activity.
TEST_CASE("members of the wrong JSON type are read as absent, never as a crash",
          "[teams][activity]") {
  SECTION("channelData is a string: the tenant comes from conversation.tenantId") {
    auto body = message_activity("hi");
    body["channelData"] = "https://smba.example/amer/";
    body["conversation"]["tenantId"] = "tenant-1";
    const auto activity = parse_activity(body.dump());
    CHECK(activity.tenant_id == "tenant-1");
    CHECK(activity.message.text == "hi");
  }
  SECTION("channelData.tenant is a number: refused, naming the tenant") {
    auto body = message_activity("hi");
    body["channelData"]["tenant"] = 7;
    CHECK_THROWS_WITH(parse_activity(body.dump()), Catch::Contains("tenant"));
  }
  SECTION("conversation, from and recipient are arrays: refused, naming what is missing") {
    for (const char* member : {"conversation", "from"}) {
      auto body = message_activity("hi");
      body[member] = json::array({1, 2});
      CHECK_THROWS_AS(parse_activity(body.dump()), ActivityError);
    }
    auto body = message_activity("hi");
    body["recipient"] = json::array();
    CHECK(parse_activity(body.dump()).bot_id.empty());
  }
  SECTION("a mention whose `mentioned` is a string is not the bot's mention") {
    auto body = message_activity("<at>OKR Coach</at> hi");
    body["entities"] = json::array(
        {{{"type", "mention"}, {"text", "<at>OKR Coach</at>"}, {"mentioned", "28:app-id"}}});
    CHECK(parse_activity(body.dump()).message.text == "<at>OKR Coach</at> hi");
  }
}
