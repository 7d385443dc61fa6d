// Reading a channel's people for team setup: every page of conversations.members, users.info
// to leave out bots, deleted accounts and Slackbot, never the coach itself.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "bot/http/client.hpp"
#include "bot/slack/channel_members.hpp"
#include "bot/slack/commands.hpp"
#include "bot/slack/web_api.hpp"
#include "tests/support/fake_slack.hpp"

using nlohmann::json;
using okr::bot::slack::channel_humans;

namespace {

struct Fixture {
  okr::test::FakeSlack fake;
  okr::bot::http::HttpClient client;
  okr::bot::slack::WebApi api{client, fake.api_url(), fake.token()};

  Fixture() {
    // Two pages: the cursor of the first leads to the second.
    fake.answer_method("conversations.members", [](const json& fields) {
      if (fields.value("cursor", "") == "")
        return json{{"ok", true},
                    {"members", {"U1", "UBOT0001", "UHELPER"}},
                    {"response_metadata", {{"next_cursor", "page2"}}}};
      return json{{"ok", true},
                  {"members", {"U2", "UGONE", "USLACKBOT"}},
                  {"response_metadata", {{"next_cursor", ""}}}};
    });
    fake.answer_method("users.info", [](const json& fields) {
      const std::string id = fields.value("user", "");
      json user = {{"id", id},
                   {"name", id + "-handle"},
                   {"tz", "Asia/Kolkata"},
                   {"profile", {{"display_name", id == "U1" ? "Ada" : ""}, {"real_name", id + " Real"}}}};
      if (id == "UHELPER")
        user["is_bot"] = true;
      if (id == "UGONE")
        user["deleted"] = true;
      return json{{"ok", true}, {"user", user}};
    });
  }
};

}  // namespace

TEST_CASE("a channel's humans come from every page, without bots, the deleted or the coach",
          "[slack][channel-members]") {
  Fixture f;
  const auto humans = channel_humans(f.api, "C100", "UBOT0001");
  REQUIRE(humans.size() == 2);
  CHECK(humans[0].user_id == "U1");
  CHECK(humans[0].display_name == "Ada");
  CHECK(humans[0].tz == "Asia/Kolkata");
  CHECK(humans[1].user_id == "U2");
  CHECK(humans[1].display_name == "U2 Real");  // no display name: the real name
  const auto pages = f.fake.calls_to("conversations.members");
  REQUIRE(pages.size() == 2);
  CHECK(pages[0].json.value("channel", "") == "C100");
  CHECK(pages[1].json.value("cursor", "") == "page2");
  // Neither the coach itself nor Slackbot is looked up.
  for (const auto& call : f.fake.calls_to("users.info")) {
    CHECK(call.json.value("user", "") != "UBOT0001");
    CHECK(call.json.value("user", "") != "USLACKBOT");
  }
}

TEST_CASE("people already known are not looked up again", "[slack][channel-members]") {
  Fixture f;
  const auto humans = channel_humans(f.api, "C100", "UBOT0001", {"U1", "U2"});
  CHECK(humans.size() == 2);
  CHECK(f.fake.calls_to("users.info").size() == 2);  // UHELPER and UGONE only
}

TEST_CASE("a channel the coach is not in is a permanent error", "[slack][channel-members]") {
  Fixture f;
  f.fake.answer_method("conversations.members", [](const json&) {
    return json{{"ok", false}, {"error", "not_in_channel"}};
  });
  try {
    channel_humans(f.api, "C100", "UBOT0001");
    FAIL("expected a SlackApiError");
  } catch (const okr::bot::slack::SlackApiError& error) {
    CHECK(error.code() == "not_in_channel");
    CHECK(error.permanent());
  }
}

TEST_CASE("/okr setup in a channel names the channel; in a DM it is the settings dialog",
          "[slack][channel-members]") {
  using okr::bot::slack::parse_command;
  using okr::bot::slack::SlashCommand;
  const auto in_channel = parse_command(
      "command=%2Fokr&text=setup&team_id=T1&user_id=U1&channel_id=C100&channel_name=growth");
  CHECK(okr::bot::slack::command_text(std::get<SlashCommand>(in_channel)) ==
        "setup channel C100 growth");
  const auto private_channel =
      parse_command("command=%2Fokr&text=setup&team_id=T1&user_id=U1&channel_id=G7");
  CHECK(okr::bot::slack::command_text(std::get<SlashCommand>(private_channel)) ==
        "setup channel G7");
  const auto in_dm = parse_command(
      "command=%2Fokr&text=setup&team_id=T1&user_id=U1&channel_id=D9&channel_name=directmessage");
  CHECK(okr::bot::slack::command_text(std::get<SlashCommand>(in_dm)) == "setup");
  const auto share =
      parse_command("command=%2Fokr&text=share&team_id=T1&user_id=U1&channel_id=D9");
  CHECK(okr::bot::slack::command_text(std::get<SlashCommand>(share)) == "share");
}
