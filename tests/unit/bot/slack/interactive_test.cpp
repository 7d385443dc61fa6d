#include <string>
#include <variant>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/slack/action_ids.hpp"
#include "bot/slack/form.hpp"
#include "bot/slack/interactive.hpp"

using namespace okr::bot::slack;
using nlohmann::json;

namespace {

json block_actions_payload(json action) {
  return {{"type", "block_actions"},
          {"team", {{"id", "T9TK3CUKW"}, {"domain", "example"}}},
          {"user", {{"id", "UA8RXUSPL"}, {"username", "jtorrance"}, {"team_id", "T9TK3CUKW"}}},
          {"api_app_id", "AABA1ABCD"},
          {"token", "9s8d9as89d8as9d8as989"},
          {"container",
           {{"type", "message_attachment"},
            {"message_ts", "1548261231.000200"},
            {"attachment_id", 1},
            {"channel_id", "D0DM1234"},
            {"is_ephemeral", false},
            {"is_app_unfurl", false}}},
          {"trigger_id", "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3"},
          {"channel", {{"id", "D0DM1234"}, {"name", "directmessage"}}},
          {"message", {{"type", "message"}, {"ts", "1548261231.000200"}, {"text", "Confirm?"}}},
          {"response_url",
           "https://hooks.slack.com/actions/AABA1ABCD/1232321423432/D09sSasdasdAS9091209"},
          {"actions", json::array({std::move(action)})}};
}

std::string form_of(const json& payload) {
  return "payload=" + form_encode(payload.dump());
}

const BlockAction& as_action(const ParsedInteraction& parsed) {
  if (const auto* error = std::get_if<ParseError>(&parsed)) {
    FAIL("parse error: " << error->message);
  }
  REQUIRE(std::holds_alternative<BlockAction>(parsed));
  return std::get<BlockAction>(parsed);
}

std::string error_of(std::string_view body) {
  const auto parsed = parse_interaction(body);
  REQUIRE(std::holds_alternative<ParseError>(parsed));
  return std::get<ParseError>(parsed).message;
}

}  // namespace

TEST_CASE("a button click becomes the neutral action of its question", "[slack][interactive]") {
  const auto parsed = parse_interaction(
      form_of(block_actions_payload({{"action_id", button_action_id("summary", 0)},
                                     {"block_id", "q-summary"},
                                     {"text", {{"type", "plain_text"}, {"text", "Confirm"}}},
                                     {"value", "confirm"},
                                     {"type", "button"},
                                     {"action_ts", "1548426417.840180"}})));
  const auto& click = as_action(parsed);
  REQUIRE(click.inbound.action);
  CHECK(click.inbound.action->id == "summary");
  CHECK(click.inbound.action->value == "confirm");
  CHECK(click.inbound.text.empty());
  CHECK(click.inbound.platform == "slack");
  CHECK(click.inbound.workspace == "T9TK3CUKW");
  CHECK(click.inbound.user == "UA8RXUSPL");
  CHECK(click.inbound.conversation == "D0DM1234");
  CHECK(click.channel_id == "D0DM1234");
  CHECK(click.message_ts == "1548261231.000200");
  CHECK(click.action_ts == "1548426417.840180");
  CHECK(click.response_url.starts_with("https://hooks.slack.com/actions/"));
}

TEST_CASE("a static_select choice becomes the neutral action", "[slack][interactive]") {
  const auto parsed = parse_interaction(form_of(block_actions_payload(
      {{"action_id", select_action_id("confidence")},
       {"block_id", "q-confidence"},
       {"type", "static_select"},
       {"selected_option", {{"text", {{"type", "plain_text"}, {"text", "7"}}}, {"value", "7"}}},
       {"action_ts", "1548426417.840181"}})));
  const auto& click = as_action(parsed);
  REQUIRE(click.inbound.action);
  CHECK(click.inbound.action->id == "confidence");
  CHECK(click.inbound.action->value == "7");
}

TEST_CASE("a click on an action id that is not ours is ignored", "[slack][interactive]") {
  const auto parsed = parse_interaction(form_of(
      block_actions_payload({{"action_id", "someone_else"}, {"type", "button"}, {"value", "x"}})));
  CHECK(std::holds_alternative<IgnoredInteraction>(parsed));
}

TEST_CASE("a view submission gives its values by block and action id", "[slack][interactive]") {
  const json payload = {
      {"type", "view_submission"},
      {"team", {{"id", "T9TK3CUKW"}, {"domain", "example"}}},
      {"user", {{"id", "UA8RXUSPL"}, {"username", "jtorrance"}}},
      {"view",
       {{"id", "VNHU13V36"},
        {"type", "modal"},
        {"callback_id", "edit_okr"},
        {"private_metadata", "D0DM1234"},
        {"hash", "156663117.cd33ad1f"},
        {"state",
         {{"values",
           {{"objective",
             {{"objective_text", {{"type", "plain_text_input"}, {"value", "Delight new users"}}}}},
            {"kr_1",
             {{"kr_pick",
               {{"type", "static_select"},
                {"selected_option",
                 {{"text", {{"type", "plain_text"}, {"text", "Keep"}}},
                  {"value", "keep"}}}}}}}}}}}}}};
  const auto parsed = parse_interaction(form_of(payload));
  REQUIRE(std::holds_alternative<ViewSubmission>(parsed));
  const auto& submission = std::get<ViewSubmission>(parsed);
  CHECK(submission.user_id == "UA8RXUSPL");
  CHECK(submission.team_id == "T9TK3CUKW");
  CHECK(submission.view_id == "VNHU13V36");
  CHECK(submission.callback_id == "edit_okr");
  CHECK(submission.private_metadata == "D0DM1234");
  CHECK(submission.values.at("objective").at("objective_text") == "Delight new users");
  CHECK(submission.values.at("kr_1").at("kr_pick") == "keep");
}

TEST_CASE("other interaction types are ignored", "[slack][interactive]") {
  const auto parsed =
      parse_interaction(form_of({{"type", "view_closed"}, {"user", {{"id", "U1"}}}}));
  REQUIRE(std::holds_alternative<IgnoredInteraction>(parsed));
  CHECK(std::get<IgnoredInteraction>(parsed).type == "view_closed");
}

TEST_CASE("malformed interaction bodies name what is wrong", "[slack][interactive]") {
  CHECK(error_of("") == "form body without payload field");
  CHECK(error_of("payload=%7") == "form body has a broken %-escape");
  CHECK(error_of("payload=" + form_encode("{oops")) == "payload field is not a JSON object");
  CHECK(error_of(form_of({{"user", {{"id", "U1"}}}})) == "payload without type");
  CHECK(error_of(form_of({{"type", "block_actions"}, {"user", {{"id", "U1"}}}})) ==
        "block_actions without actions");
  CHECK(error_of(
            form_of({{"type", "block_actions"}, {"actions", json::array({{{"value", "x"}}})}})) ==
        "block_actions without user.id");
  auto no_action_id = block_actions_payload({{"type", "button"}, {"value", "x"}});
  CHECK(error_of(form_of(no_action_id)) == "block_actions action without action_id");
}

TEST_CASE("action ids round-trip to the question id", "[slack][interactive]") {
  const auto button = action_from_slack(button_action_id("kr:2:unit", 3), "percent");
  REQUIRE(button);
  CHECK(button->id == "kr:2:unit");
  CHECK(button->value == "percent");
  const auto select = action_from_slack(select_action_id("confidence"), "9");
  REQUIRE(select);
  CHECK(select->id == "confidence");
  CHECK_FALSE(action_from_slack("okr:", "x"));
  CHECK_FALSE(action_from_slack("okr:summary:0", ""));
  CHECK_FALSE(action_from_slack("other:summary:0", "confirm"));
}
