#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "dialogs/drafter.hpp"
#include "dialogs/linter.hpp"

using namespace okr::dialogs;

namespace {

std::vector<KeyResultDraft> drafts(std::initializer_list<const char*> texts) {
  std::vector<KeyResultDraft> out;
  for (const char* t : texts)
    out.push_back(parse_key_result(t));
  return out;
}

// Two well-formed key results: metric, baseline and target known.
std::vector<KeyResultDraft> healthy() {
  return drafts({"Increase trial-to-paid conversion from 8% to 12%", "NPS from 30 to 45"});
}

std::vector<LintFinding> with_rule(const std::vector<LintFinding>& findings, LintRule rule) {
  std::vector<LintFinding> out;
  std::copy_if(findings.begin(), findings.end(), std::back_inserter(out),
               [rule](const LintFinding& f) { return f.rule == rule; });
  return out;
}

std::string lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Every question is an open, non-empty question that never judges the person's draft.
void check_is_coaching_question(const LintFinding& f) {
  INFO("rule " << to_string(f.rule) << ": " << f.question);
  REQUIRE_FALSE(f.question.empty());
  CHECK(f.question.find('?') != std::string::npos);
  static constexpr std::array<const char*, 9> verdicts{
      "invalid", "wrong", "bad", "error", "incorrect", "must", "fail", "not allowed", "!"};
  const std::string q = lower(f.question);
  for (const char* v : verdicts)
    CHECK(q.find(v) == std::string::npos);
}

}  // namespace

TEST_CASE("a healthy OKR draws no questions", "[linter]") {
  CHECK(lint_okr("Make onboarding delightful", healthy(), ProgramSettings{}).empty());
}

TEST_CASE("a key result with nothing measurable asks what number would show it", "[linter]") {
  auto krs = healthy();
  krs.push_back(parse_key_result("customers are happier with our support"));
  const auto found =
      with_rule(lint_okr("Delight customers", krs, ProgramSettings{}), LintRule::no_number);
  REQUIRE(found.size() == 1);
  CHECK(found[0].key_result_index == 2);
  CHECK(found[0].question.find("customers are happier with our support") != std::string::npos);
  check_is_coaching_question(found[0]);
}

TEST_CASE("a measurable key result does not draw the no-number question", "[linter]") {
  CHECK(with_rule(lint_okr("Delight customers", healthy(), ProgramSettings{}), LintRule::no_number)
            .empty());
}

TEST_CASE("a milestone asks what outcome it should create", "[linter]") {
  auto krs = healthy();
  krs.push_back(parse_key_result("Launch the new onboarding"));
  REQUIRE(krs.back().kind == KeyResultKind::milestone);
  const auto findings = lint_okr("Make onboarding delightful", krs, ProgramSettings{});
  const auto found = with_rule(findings, LintRule::output_not_outcome);
  REQUIRE(found.size() == 1);
  CHECK(found[0].key_result_index == 2);
  CHECK(found[0].question.find("Launch the new onboarding") != std::string::npos);
  check_is_coaching_question(found[0]);
  // A milestone has a yes/no end state, so it is not also asked for a number.
  CHECK(with_rule(findings, LintRule::no_number).empty());
}

TEST_CASE("a deliverable with its outcome stated is not questioned as output", "[linter]") {
  auto krs = healthy();
  krs.push_back(parse_key_result("Roll out SSO to reduce login tickets from 120 to 40 a week"));
  CHECK(with_rule(lint_okr("Calm support", krs, ProgramSettings{}), LintRule::output_not_outcome)
            .empty());
}

TEST_CASE("where the program disallows milestones the question is about the change instead",
          "[linter]") {
  ProgramSettings settings;
  settings.allow_milestone = false;
  auto krs = healthy();
  krs.push_back(parse_key_result("Ship the Slack integration"));
  const auto findings = lint_okr("Be where our users work", krs, settings);
  const auto found = with_rule(findings, LintRule::milestone_not_allowed);
  REQUIRE(found.size() == 1);
  CHECK(found[0].key_result_index == 2);
  CHECK(found[0].question.find("Ship the Slack integration") != std::string::npos);
  check_is_coaching_question(found[0]);
  CHECK(with_rule(findings, LintRule::output_not_outcome).empty());
}

TEST_CASE("milestones are not questioned as disallowed when the program allows them", "[linter]") {
  auto krs = healthy();
  krs.push_back(parse_key_result("Ship the Slack integration"));
  CHECK(with_rule(lint_okr("Be where our users work", krs, ProgramSettings{}),
                  LintRule::milestone_not_allowed)
            .empty());
}

TEST_CASE("a target without a starting point asks where things stand today", "[linter]") {
  auto krs = healthy();
  krs.push_back(parse_key_result("500 paying customers by March"));
  const auto found =
      with_rule(lint_okr("Grow", krs, ProgramSettings{}), LintRule::missing_baseline);
  REQUIRE(found.size() == 1);
  CHECK(found[0].key_result_index == 2);
  CHECK(found[0].question.find("500") != std::string::npos);
  check_is_coaching_question(found[0]);
}

TEST_CASE("a relative change without a starting point asks for it too", "[linter]") {
  auto krs = healthy();
  krs.push_back(parse_key_result("reduce churn by 20%"));
  const auto found =
      with_rule(lint_okr("Keep customers", krs, ProgramSettings{}), LintRule::missing_baseline);
  REQUIRE(found.size() == 1);
  CHECK(found[0].question.find("reduce churn by 20%") != std::string::npos);
  check_is_coaching_question(found[0]);
}

TEST_CASE("baseline and target together, or a baseline key result, need no starting point",
          "[linter]") {
  auto krs = healthy();
  krs.push_back(parse_key_result("establish a baseline for activation"));
  CHECK(with_rule(lint_okr("Grow", krs, ProgramSettings{}), LintRule::missing_baseline).empty());
}

TEST_CASE("more key results than the program's maximum asks which matter most", "[linter]") {
  ProgramSettings settings;
  settings.max_key_results = 3;
  auto krs = healthy();
  krs.push_back(parse_key_result("Churn from 5% to 3%"));
  CHECK(with_rule(lint_okr("Grow", krs, settings), LintRule::too_many_key_results).empty());
  krs.push_back(parse_key_result("Revenue from $1M to $1.5M"));
  const auto found = with_rule(lint_okr("Grow", krs, settings), LintRule::too_many_key_results);
  REQUIRE(found.size() == 1);
  CHECK(found[0].key_result_index == -1);
  CHECK(found[0].question.find('4') != std::string::npos);
  CHECK(found[0].question.find('3') != std::string::npos);
  check_is_coaching_question(found[0]);
}

TEST_CASE("the default maximum of five comes from the program settings", "[linter]") {
  auto krs = drafts({"NPS from 30 to 45", "Churn from 5% to 3%", "MRR from $80k to $120k",
                     "Activation from 40% to 60%", "Tickets from 120 to 80"});
  CHECK(
      with_rule(lint_okr("Grow", krs, ProgramSettings{}), LintRule::too_many_key_results).empty());
  krs.push_back(parse_key_result("Reviews from 20 to 200"));
  CHECK(
      with_rule(lint_okr("Grow", krs, ProgramSettings{}), LintRule::too_many_key_results).size() ==
      1);
}

TEST_CASE("fewer key results than the program's minimum asks what else would show it", "[linter]") {
  ProgramSettings settings;
  settings.min_key_results = 3;
  const auto found = with_rule(lint_okr("Make onboarding delightful", healthy(), settings),
                               LintRule::too_few_key_results);
  REQUIRE(found.size() == 1);
  CHECK(found[0].question.find("Make onboarding delightful") != std::string::npos);
  check_is_coaching_question(found[0]);
  settings.min_key_results = 2;
  CHECK(with_rule(lint_okr("Make onboarding delightful", healthy(), settings),
                  LintRule::too_few_key_results)
            .empty());
}

TEST_CASE("no key results at all asks how the person would know", "[linter]") {
  const auto found = with_rule(lint_okr("Grow the community", {}, ProgramSettings{}),
                               LintRule::too_few_key_results);
  REQUIRE(found.size() == 1);
  check_is_coaching_question(found[0]);
}

TEST_CASE("a number in the objective asks to say it in words", "[linter]") {
  const auto found = with_rule(lint_okr("Grow revenue 30% this year", healthy(), ProgramSettings{}),
                               LintRule::number_in_objective);
  REQUIRE(found.size() == 1);
  CHECK(found[0].key_result_index == -1);
  CHECK(found[0].question.find("30%") != std::string::npos);
  check_is_coaching_question(found[0]);
}

TEST_CASE("years, quarters and '#1' in an objective are not treated as measures", "[linter]") {
  for (const char* objective : {"Become the #1 choice for design agencies",
                                "Be ready for the 2027 expansion", "Make Q3 our calmest quarter"}) {
    INFO(objective);
    CHECK(
        with_rule(lint_okr(objective, healthy(), ProgramSettings{}), LintRule::number_in_objective)
            .empty());
  }
}

TEST_CASE("an objective of several sentences asks for it in one", "[linter]") {
  const auto found = with_rule(
      lint_okr("Make customers successful. Grow the business.", healthy(), ProgramSettings{}),
      LintRule::objective_too_long);
  REQUIRE(found.size() == 1);
  check_is_coaching_question(found[0]);
}

TEST_CASE("one sentence with abbreviations and decimals is one sentence", "[linter]") {
  for (const char* objective :
       {"Make releases calm, e.g. no weekend deploys", "Be the v2.5 team everyone trusts",
        "Delight customers.", "Lead a team one day... maybe"}) {
    INFO(objective);
    CHECK(with_rule(lint_okr(objective, healthy(), ProgramSettings{}), LintRule::objective_too_long)
              .empty());
  }
}

TEST_CASE("every rule has a stable name", "[linter]") {
  CHECK(std::string(to_string(LintRule::no_number)) == "no_number");
  CHECK(std::string(to_string(LintRule::output_not_outcome)) == "output_not_outcome");
  CHECK(std::string(to_string(LintRule::milestone_not_allowed)) == "milestone_not_allowed");
  CHECK(std::string(to_string(LintRule::missing_baseline)) == "missing_baseline");
  CHECK(std::string(to_string(LintRule::too_many_key_results)) == "too_many_key_results");
  CHECK(std::string(to_string(LintRule::too_few_key_results)) == "too_few_key_results");
  CHECK(std::string(to_string(LintRule::number_in_objective)) == "number_in_objective");
  CHECK(std::string(to_string(LintRule::objective_too_long)) == "objective_too_long");
}

TEST_CASE("every question across a messy draft is a coaching question", "[linter]") {
  ProgramSettings settings;
  settings.allow_milestone = false;
  settings.max_key_results = 2;
  const auto krs = drafts({"customers love us", "Launch the app", "reduce churn by 20%"});
  const auto findings = lint_okr("Grow 30%. Win.", krs, settings);
  CHECK(findings.size() >= 5);
  for (const auto& f : findings)
    check_is_coaching_question(f);
}

TEST_CASE("sentences typed in lower case still count as sentences", "[linter]") {
  const auto found =
      with_rule(lint_okr("make customers happy. grow the business", healthy(), ProgramSettings{}),
                LintRule::objective_too_long);
  CHECK(found.size() == 1);
}
