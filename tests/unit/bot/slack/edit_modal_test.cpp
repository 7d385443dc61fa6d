// The draft OKR edit modal: its view JSON, reading a submission, and the checks whose errors
// Slack shows under the fields.
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/slack/edit_modal.hpp"
#include "bot/slack/interactive.hpp"

using namespace okr::bot::slack;
using nlohmann::json;

namespace {

ViewSubmission submission(const std::string& objective, std::vector<std::string> key_results) {
  ViewSubmission s;
  s.callback_id = std::string(kEditModalCallback);
  s.values["objective"]["text"] = objective;
  for (std::size_t i = 0; i < key_results.size(); ++i)
    s.values["kr_" + std::to_string(i)]["text"] = key_results[i];
  return s;
}

}  // namespace

TEST_CASE("the edit modal holds the objective and one prefilled field per key result plus one",
          "[slack][modal]") {
  const auto view = edit_modal_view(
      {"Help new customers thrive", {"Activation from 40% to 60%", "Churn under 5%"}, {}});
  CHECK(view.at("type") == "modal");
  CHECK(view.at("callback_id") == kEditModalCallback);
  CHECK(view.at("title").at("text").get<std::string>().size() <= 24);
  CHECK(view.at("submit").at("type") == "plain_text");
  std::vector<json> inputs;
  for (const auto& block : view.at("blocks")) {
    if (block.at("type") == "input")
      inputs.push_back(block);
  }
  REQUIRE(inputs.size() == 4);
  CHECK(inputs[0].at("block_id") == "objective");
  CHECK(inputs[0].at("optional") == false);
  CHECK(inputs[0].at("element").at("initial_value") == "Help new customers thrive");
  CHECK(inputs[1].at("block_id") == "kr_0");
  CHECK(inputs[1].at("element").at("initial_value") == "Activation from 40% to 60%");
  CHECK(inputs[2].at("element").at("initial_value") == "Churn under 5%");
  CHECK(inputs[3].at("block_id") == "kr_2");
  CHECK(inputs[3].at("optional") == true);
  CHECK_FALSE(inputs[3].at("element").contains("initial_value"));  // Slack rejects ""
  for (const auto& field : inputs)
    CHECK(field.at("element").at("action_id") == "text");
}

TEST_CASE("a submission is read trimmed, with empty key results dropped", "[slack][modal]") {
  const auto edited =
      edited_okr_of(submission("  Help new customers thrive \n", {"A from 1 to 2", "   ", "B 5%"}));
  CHECK(edited.objective == "Help new customers thrive");
  CHECK(edited.key_results == std::vector<std::string>{"A from 1 to 2", "B 5%"});
  CHECK(edited.key_result_blocks == std::vector<std::string>{"kr_0", "kr_2"});
}

TEST_CASE("an empty objective or an unmeasurable key result is a field error", "[slack][modal]") {
  SECTION("valid") {
    CHECK(edit_errors(edited_okr_of(submission(
                          "Help new customers thrive",
                          {"Raise week-one activation from 40% to 60%", "Churn under 5% by June"})))
              .empty());
  }
  SECTION("empty objective") {
    const auto errors =
        edit_errors(edited_okr_of(submission(" ", {"Raise activation from 40% to 60%"})));
    REQUIRE(errors.count("objective") == 1);
    CHECK(errors.size() == 1);
  }
  SECTION("a key result without anything to measure names its own field") {
    const auto errors = edit_errors(edited_okr_of(submission(
        "Help new customers thrive", {"", "Raise activation from 40% to 60%", "Be nicer"})));
    REQUIRE(errors.size() == 1);
    CHECK(errors.count("kr_2") == 1);
    CHECK_FALSE(errors.at("kr_2").empty());
  }
  SECTION("no key result at all") {
    const auto errors = edit_errors(edited_okr_of(submission("Help new customers thrive", {})));
    CHECK(errors.count("kr_0") == 1);
  }
}

TEST_CASE("the edited OKR survives the neutral action value", "[slack][modal]") {
  const EditedOkr edited{"Objective \"quoted\"", {"one; two", "three"}, {}};
  const auto back = edited_okr_from(edited_okr_value(edited));
  REQUIRE(back);
  CHECK(back->objective == edited.objective);
  CHECK(back->key_results == edited.key_results);
  CHECK_FALSE(edited_okr_from("not json"));
}
