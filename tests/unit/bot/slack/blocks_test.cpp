#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/slack/action_ids.hpp"
#include "bot/slack/blocks.hpp"
#include "bot/slack/form.hpp"
#include "bot/slack/interactive.hpp"

using namespace okr::bot::slack;
using nlohmann::json;
using okr::dialogs::Outbound;

namespace {

bool valid_utf8(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = c < 0x80           ? 1
                               : (c >> 5) == 0x6  ? 2
                               : (c >> 4) == 0xE  ? 3
                               : (c >> 3) == 0x1E ? 4
                                                  : 0;
    if (length == 0 || i + length > text.size())
      return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
        return false;
    }
    i += length;
  }
  return true;
}

void check_text_object(const json& text, std::size_t limit) {
  REQUIRE(text.is_object());
  const auto value = text.at("text").get<std::string>();
  CHECK(!value.empty());
  CHECK(value.size() <= limit);
  CHECK(valid_utf8(value));
}

// Every limit from platforms.md that our renderer can break.
void check_within_slack_limits(const SlackMessage& message) {
  CHECK(!message.text.empty());
  CHECK(message.text.size() <= kMaxFallbackText);
  CHECK(valid_utf8(message.text));
  REQUIRE(message.blocks.is_array());
  CHECK(!message.blocks.empty());
  CHECK(message.blocks.size() <= kMaxBlocksPerMessage);
  for (const auto& block : message.blocks) {
    const auto type = block.at("type").get<std::string>();
    if (type == "section") {
      check_text_object(block.at("text"), kMaxSectionText);
    } else if (type == "header") {
      CHECK(block.at("text").at("type") == "plain_text");
      check_text_object(block.at("text"), kMaxHeaderText);
    } else if (type == "context") {
      CHECK(block.at("elements").size() <= kMaxContextElements);
      for (const auto& element : block.at("elements"))
        check_text_object(element, kMaxSectionText);
    } else if (type == "actions") {
      CHECK(!block.at("elements").empty());
      CHECK(block.at("elements").size() <= kMaxActionElements);
      for (const auto& element : block.at("elements")) {
        CHECK(element.at("action_id").get<std::string>().size() <= kMaxActionId);
        if (element.at("type") == "button") {
          check_text_object(element.at("text"), kMaxButtonText);
          CHECK(!element.at("value").get<std::string>().empty());
        } else {
          REQUIRE(element.at("type") == "static_select");
          CHECK(element.at("options").size() <= kMaxSelectOptions);
          for (const auto& option : element.at("options")) {
            check_text_object(option.at("text"), kMaxOptionText);
            CHECK(option.at("value").get<std::string>().size() <= kMaxOptionValue);
          }
        }
      }
    } else {
      FAIL("unexpected block type " << type);
    }
  }
}

Outbound text_only(std::string text) {
  Outbound out;
  out.text = std::move(text);
  return out;
}

okr::dialogs::Question confirm_question() {
  return {"summary",
          {{"confirm", "Confirm", 1, {"yes"}},
           {"edit", "Edit", 2, {}},
           {"restart", "Start over", 3, {"restart"}}}};
}

// A click as Slack would post it back for the element `element` of the rendered message.
json click_payload(const json& element) {
  json action = {{"action_id", element.at("action_id")},
                 {"type", element.at("type")},
                 {"block_id", "b1"},
                 {"action_ts", "1700000000.1"}};
  if (element.at("type") == "button") {
    action["value"] = element.at("value");
    action["text"] = element.at("text");
  } else {
    action["selected_option"] = element.at("options").at(0);
  }
  return {{"type", "block_actions"},
          {"team", {{"id", "T1"}}},
          {"user", {{"id", "U1"}}},
          {"container", {{"type", "message"}, {"message_ts", "1.2"}, {"channel_id", "D1"}}},
          {"actions", json::array({action})}};
}

std::vector<json> interactive_elements(const std::vector<SlackMessage>& messages) {
  std::vector<json> elements;
  for (const auto& message : messages) {
    for (const auto& block : message.blocks) {
      if (block.at("type") == "actions") {
        for (const auto& element : block.at("elements"))
          elements.push_back(element);
      }
    }
  }
  return elements;
}

}  // namespace

TEST_CASE("mrkdwn control characters are escaped", "[slack][blocks]") {
  CHECK(escape_mrkdwn("R&D <b> ->") == "R&amp;D &lt;b&gt; -&gt;");
  const auto messages = render_blocks(text_only("Grow <@U123> & friends"));
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].blocks[0]["text"]["text"] == "Grow &lt;@U123&gt; &amp; friends");
  CHECK(messages[0].text == "Grow <@U123> & friends");
}

TEST_CASE("text is cut on UTF-8 boundaries with an ellipsis", "[slack][blocks]") {
  CHECK(fit_text("short", 10) == "short");
  const std::string accents = "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";  // éééé, 8 bytes
  const auto cut = fit_text(accents, 6);
  CHECK(cut.size() <= 6);
  CHECK(valid_utf8(cut));
  CHECK(cut.ends_with("\xE2\x80\xA6"));
}

TEST_CASE("a question renders one button per choice that maps back to its choice id",
          "[slack][blocks]") {
  Outbound out = text_only("Here is what I heard. Shall I save it?");
  out.question = confirm_question();
  const auto messages = render_blocks(out);
  REQUIRE(messages.size() == 1);
  check_within_slack_limits(messages[0]);
  const auto elements = interactive_elements(messages);
  REQUIRE(elements.size() == 3);
  CHECK(elements[0]["style"] == "primary");
  CHECK(elements[2]["text"]["text"] == "Start over");
  const char* expected[] = {"confirm", "edit", "restart"};
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const auto parsed =
        parse_interaction("payload=" + form_encode(click_payload(elements[i]).dump()));
    REQUIRE(std::holds_alternative<BlockAction>(parsed));
    const auto& action = std::get<BlockAction>(parsed).inbound.action;
    REQUIRE(action);
    CHECK(action->id == "summary");
    CHECK(action->value == expected[i]);
  }
  CHECK(messages[0].text.find("1) Confirm") != std::string::npos);
}

TEST_CASE("a 1-10 confidence scale renders ten buttons that map back to the number",
          "[slack][blocks]") {
  Outbound out = text_only("How confident are you that you will hit it?");
  out.scale = okr::dialogs::Scale{"confidence", 1, 10, "not likely", "certain"};
  const auto messages = render_blocks(out);
  REQUIRE(messages.size() == 1);
  check_within_slack_limits(messages[0]);
  const auto elements = interactive_elements(messages);
  REQUIRE(elements.size() == 10);
  const auto last = parse_interaction("payload=" + form_encode(click_payload(elements[9]).dump()));
  REQUIRE(std::holds_alternative<BlockAction>(last));
  CHECK(std::get<BlockAction>(last).inbound.action->id == "confidence");
  CHECK(std::get<BlockAction>(last).inbound.action->value == "10");
}

TEST_CASE("a wide scale becomes selects whose options map back", "[slack][blocks]") {
  Outbound out = text_only("Where are you now, 0 to 250?");
  out.scale = okr::dialogs::Scale{"where_now", 0, 250, "", ""};
  const auto messages = render_blocks(out);
  REQUIRE(messages.size() == 1);
  check_within_slack_limits(messages[0]);
  const auto elements = interactive_elements(messages);
  REQUIRE(elements.size() == 3);
  CHECK(elements[2]["options"].size() == 51);
  const auto parsed =
      parse_interaction("payload=" + form_encode(click_payload(elements[1]).dump()));
  REQUIRE(std::holds_alternative<BlockAction>(parsed));
  CHECK(std::get<BlockAction>(parsed).inbound.action->id == "where_now");
  CHECK(std::get<BlockAction>(parsed).inbound.action->value == "100");
}

TEST_CASE("a draft OKR card shows the objective and each key result", "[slack][blocks]") {
  Outbound out = text_only("Your draft:");
  okr::dialogs::OkrCard card;
  card.objective = "Delight new users";
  card.why = "Churn in the first week hurts";
  okr::dialogs::KeyResult kr;
  kr.text = "Week-one retention from 40% to 60%";
  kr.baseline = 40;
  kr.target = 60;
  kr.unit = "%";
  kr.deadline = "2026-12-31";
  card.key_results = {kr};
  out.okr = card;
  const auto messages = render_blocks(out);
  REQUIRE(messages.size() == 1);
  check_within_slack_limits(messages[0]);
  const auto dump = messages[0].blocks.dump();
  CHECK(dump.find("*Objective:* Delight new users") != std::string::npos);
  CHECK(dump.find("*KR1* Week-one retention") != std::string::npos);
  CHECK(dump.find("40% \xE2\x86\x92 60%, by 2026-12-31") != std::string::npos);
}

TEST_CASE("a progress table shows a bar per key result", "[slack][blocks]") {
  Outbound out = text_only("Where things stand:");
  out.progress = okr::dialogs::ProgressTable{
      "Your OKRs",
      {{"Delight new users", "Retention 60%", "55 %", 0.75, 0.1, 7, false},
       {"Delight new users", "Launch guide", "done", 1.0, std::nullopt, std::nullopt, true}}};
  const auto messages = render_blocks(out);
  REQUIRE(messages.size() == 1);
  check_within_slack_limits(messages[0]);
  const auto dump = messages[0].blocks.dump();
  CHECK(messages[0].blocks[1]["type"] == "header");
  CHECK(dump.find("`\xE2\x96\x88\xE2\x96\x88\xE2\x96\x88\xE2\x96\x88\xE2\x96\x88\xE2\x96\x88"
                  "\xE2\x96\x88\xE2\x96\x88\xE2\x96\x91\xE2\x96\x91` 75%") != std::string::npos);
  CHECK(dump.find("(+10 pts)") != std::string::npos);
  CHECK(dump.find("confidence 7/10") != std::string::npos);
  CHECK(dump.find("at risk") != std::string::npos);
}

TEST_CASE("a summary card lists labelled answers with Confirm, Edit and Start over",
          "[slack][blocks]") {
  Outbound out = text_only("Here is what I heard.");
  out.summary =
      okr::dialogs::SummaryCard{"Your check-in", {{"Helped", "pairing"}, {"Blocks", "none"}}};
  out.question = confirm_question();
  const auto messages = render_blocks(out);
  REQUIRE(messages.size() == 1);
  check_within_slack_limits(messages[0]);
  CHECK(messages[0].blocks[1]["text"]["text"] == "Your check-in");
  CHECK(messages[0].blocks[2]["text"]["text"] == "*Helped*\npairing");
  CHECK(messages[0].blocks.back()["type"] == "actions");
}

TEST_CASE("large content is split into several messages, each within Slack's limits",
          "[slack][blocks]") {
  std::string huge;
  for (int i = 0; i < 4000; ++i)
    huge += "word & <more> \xC3\xA9 ";
  huge += std::string(5000, 'x');  // one unbroken run
  Outbound out = text_only(huge);
  okr::dialogs::SummaryCard summary{std::string(400, 'H'), {}};
  for (int i = 0; i < 80; ++i)
    summary.items.push_back({"Label " + std::to_string(i), std::string(2500, 'a')});
  out.summary = summary;
  okr::dialogs::Question question{"pick", {}};
  for (int i = 1; i <= 60; ++i) {
    question.choices.push_back({"choice" + std::to_string(i), std::string(120, 'L'), i, {}});
  }
  out.question = question;
  const auto messages = render_blocks(out);
  REQUIRE(messages.size() > 2);
  std::size_t sections = 0;
  for (const auto& message : messages) {
    check_within_slack_limits(message);
    for (const auto& block : message.blocks)
      sections += block["type"] == "section";
  }
  CHECK(sections >= 80 + huge.size() / kMaxSectionText);
  CHECK(interactive_elements(messages).size() == 60);
  CHECK(messages.back().blocks.back()["type"] == "actions");
  CHECK(messages[1].text == "(continued)");
}

TEST_CASE("escaped entities are never cut in half when text is split", "[slack][blocks]") {
  const auto messages = render_blocks(text_only(std::string(7000, '&')));
  for (const auto& message : messages) {
    for (const auto& block : message.blocks) {
      const auto text = block["text"]["text"].get<std::string>();
      CHECK(text.size() <= kMaxSectionText);
      CHECK(text.size() % 5 == 0);  // whole "&amp;" entities only
    }
  }
}

TEST_CASE("an empty message renders nothing rather than an invalid payload", "[slack][blocks]") {
  CHECK(render_blocks(Outbound{}).empty());
  CHECK(render_blocks(text_only("  \n ")).empty());
}

TEST_CASE("an answered message loses its buttons and names the choice", "[slack][blocks]") {
  Outbound out = text_only("Shall I save it?");
  out.question = confirm_question();
  const auto rendered = render_blocks(out).at(0);
  const auto answered = render_answered(rendered, "Confirm");
  CHECK(answered.text == rendered.text);
  REQUIRE(answered.blocks.size() == rendered.blocks.size());
  CHECK(answered.blocks.back()["type"] == "context");
  CHECK(answered.blocks.back()["elements"][0]["text"] == "\xE2\x9C\x94 Confirm");
  CHECK(answered.blocks.dump().find("\"actions\"") == std::string::npos);
}
