#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/teams/adaptive_card.hpp"

using nlohmann::json;
using okr::bot::teams::answered_card_activity;
using okr::bot::teams::render_activities;
namespace dialogs = okr::dialogs;

namespace {

const json& content_of(const json& activity) {
  return activity.at("attachments").at(0).at("content");
}

bool body_mentions(const json& content, const std::string& needle) {
  return content.at("body").dump().find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("plain text goes out as a plain message without a card", "[teams][cards]") {
  dialogs::Outbound message;
  message.text = "Hello there";
  const auto activities = render_activities(message);
  REQUIRE(activities.size() == 1);
  CHECK(activities[0]["text"] == "Hello there");
  CHECK_FALSE(activities[0].contains("attachments"));
}

TEST_CASE("a question becomes an Adaptive Card 1.5 with one submit per choice carrying our ids",
          "[teams][cards]") {
  dialogs::Outbound message;
  message.text = "Does this look right?";
  message.question = dialogs::Question{
      "summary", {{"confirm", "Confirm", 1, {"yes"}}, {"edit", "Edit a part", 2, {}},
                  {"restart", "Start over", 3, {}}}};
  const auto activities = render_activities(message);
  REQUIRE(activities.size() == 1);
  const auto& attachment = activities[0]["attachments"][0];
  CHECK(attachment["contentType"] == "application/vnd.microsoft.card.adaptive");
  const auto& content = attachment["content"];
  CHECK(content["type"] == "AdaptiveCard");
  CHECK(content["version"] == "1.5");
  CHECK(body_mentions(content, "Does this look right?"));
  REQUIRE(content["actions"].size() == 3);
  CHECK(content["actions"][0]["type"] == "Action.Submit");
  CHECK(content["actions"][0]["title"] == "Confirm");
  CHECK(content["actions"][0]["data"] ==
        json{{"okr_action", "summary"}, {"okr_value", "confirm"}, {"okr_label", "Confirm"}});
  // Typed fallback: the text and numbered choices, for clients without cards.
  const std::string fallback = content["fallbackText"];
  CHECK(fallback.find("Does this look right?") != std::string::npos);
  CHECK(fallback.find("3. Start over") != std::string::npos);
}

TEST_CASE("a scale becomes a compact ChoiceSet whose submit names the input", "[teams][cards]") {
  dialogs::Outbound message;
  message.text = "How confident are you?";
  message.scale = dialogs::Scale{"confidence", 1, 10, "not likely", "certain"};
  const auto activities = render_activities(message);
  const auto& content = content_of(activities.at(0));
  json choice_set;
  for (const auto& block : content["body"]) {
    if (block["type"] == "Input.ChoiceSet")
      choice_set = block;
  }
  REQUIRE(choice_set.is_object());
  CHECK(choice_set["style"] == "compact");
  CHECK(choice_set["id"] == "okr_scale");
  CHECK(choice_set["choices"].size() == 10);
  CHECK(choice_set["choices"][0]["title"] == "1 – not likely");
  CHECK(choice_set["choices"][9]["value"] == "10");
  REQUIRE(content["actions"].size() == 1);
  CHECK(content["actions"][0]["data"] ==
        json{{"okr_action", "confidence"}, {"okr_input", "okr_scale"}});
}

TEST_CASE("the OKR card, the summary card and a progress table are rendered into the body",
          "[teams][cards]") {
  dialogs::Outbound message;
  message.text = "Here is your draft.";
  dialogs::OkrCard okr;
  okr.objective = "Delight new customers";
  okr.why = "They churn in week one";
  dialogs::KeyResult kr;
  kr.text = "Raise activation";
  kr.target = 60;
  kr.unit = "%";
  okr.key_results.push_back(kr);
  message.okr = okr;
  message.summary = dialogs::SummaryCard{"What I heard", {{"Focus", "onboarding"}}};
  dialogs::ProgressTable table;
  table.title = "This week";
  table.rows.push_back({"Delight new customers", "Raise activation", "45 %", 0.5, 0.1, 7, true});
  message.progress = table;
  const auto activities = render_activities(message);
  const auto& content = content_of(activities.at(0));
  CHECK(body_mentions(content, "Delight new customers"));
  CHECK(body_mentions(content, "Raise activation (target 60 %)"));
  CHECK(body_mentions(content, "FactSet"));
  CHECK(body_mentions(content, "onboarding"));
  CHECK(body_mentions(content, "ColumnSet"));
  CHECK(body_mentions(content, "+10 pts"));
  CHECK(body_mentions(content, "7/10"));
  CHECK(body_mentions(content, "⚠ Raise activation"));
}

TEST_CASE("a card over the size limit is split, each part under it, buttons on the last",
          "[teams][cards]") {
  dialogs::Outbound message;
  message.text = "Team progress";
  dialogs::ProgressTable table;
  for (int i = 0; i < 400; ++i)
    table.rows.push_back({"Objective " + std::to_string(i / 4), "Key result number " +
                          std::to_string(i) + std::string(60, 'x'), "1", 0.1, {}, {}, false});
  message.progress = table;
  message.question = dialogs::Question{"next", {{"ok", "OK", 1, {}}}};
  const std::size_t limit = 40 * 1024;
  const auto activities = render_activities(message, limit);
  REQUIRE(activities.size() > 1);
  for (std::size_t i = 0; i < activities.size(); ++i) {
    CHECK(activities[i].dump().size() <= limit);
    CHECK(content_of(activities[i]).contains("actions") == (i + 1 == activities.size()));
  }
  CHECK(body_mentions(content_of(activities.back()), "Key result number 399"));
}

TEST_CASE("a clicked card is replaced by one that shows the choice and has no buttons",
          "[teams][cards]") {
  const auto activity = answered_card_activity("Confirm");
  const auto& content = content_of(activity);
  CHECK_FALSE(content.contains("actions"));
  CHECK(body_mentions(content, "Confirm"));
}
