// Behaviour of the drafter beyond the golden corpus: odd inputs, limits and invariants.
#include <catch2/catch.hpp>

#include <string>

#include "dialogs/drafter.hpp"

using namespace okr::dialogs;

TEST_CASE("an empty or blank answer has no key-result candidates", "[drafter]") {
  CHECK(split_key_result_candidates("").empty());
  CHECK(split_key_result_candidates("   \n\n\t ").empty());
  CHECK(split_key_result_candidates("-\n*\n1.\n").empty());
}

TEST_CASE("an answer of only emoji has no key-result candidates", "[drafter]") {
  CHECK(split_key_result_candidates("\xF0\x9F\x9A\x80\xF0\x9F\x9A\x80 \xF0\x9F\x8E\xAF").empty());
}

TEST_CASE("candidates are never empty and carry no list markers", "[drafter]") {
  const auto candidates =
      split_key_result_candidates("Our signals:\n- NPS to 45;;\n2) churn below 3%\n\xE2\x80\xA2 ");
  REQUIRE(candidates.size() == 2);
  for (const auto& c : candidates) {
    CHECK_FALSE(c.empty());
    CHECK(c.front() != '-');
    CHECK(c.front() != ' ');
  }
}

TEST_CASE("parsing a candidate twice gives the same reading", "[drafter]") {
  const KeyResultDraft once = parse_key_result("- Grow MRR from $80k to $120k by end of Q2.");
  const KeyResultDraft twice = parse_key_result(once.text);
  CHECK(once.text == "Grow MRR from $80k to $120k by end of Q2");
  CHECK(twice.text == once.text);
  CHECK(twice.baseline == once.baseline);
  CHECK(twice.target == once.target);
  CHECK(twice.deadline == once.deadline);
}

TEST_CASE("a very long answer is split without losing its measurable parts", "[drafter]") {
  std::string answer;
  for (int i = 0; i < 200; ++i)
    answer += "We keep talking about quality and it matters to us. ";
  answer += "Escaped defects from 40 to 10 per month.";
  const auto candidates = split_key_result_candidates(answer);
  REQUIRE_FALSE(candidates.empty());
  const KeyResultDraft last = parse_key_result(candidates.back());
  CHECK(last.baseline == 40);
  CHECK(last.target == 10);
  CHECK(last.direction == Direction::decrease);
}

TEST_CASE("a very long objective is kept to its first sentences", "[drafter]") {
  std::string answer = "I want to make our support team proud of the help they give. ";
  for (int i = 0; i < 50; ++i)
    answer += "And there is so much more I could say about it. ";
  const std::string objective = objective_from_answer(answer);
  CHECK(objective.size() <= 160);
  CHECK(objective.rfind("Make our support team proud of the help they give", 0) == 0);
}

TEST_CASE("a very long single sentence objective is cut at a word and marked", "[drafter]") {
  std::string answer = "we want to";
  for (int i = 0; i < 60; ++i)
    answer += " build";
  const std::string objective = objective_from_answer(answer);
  CHECK(objective.size() <= 164);
  CHECK(objective.rfind("Build build", 0) == 0);
  CHECK(objective.ends_with("\xE2\x80\xA6"));
}

TEST_CASE("broken UTF-8 and stray symbols do not upset the drafter", "[drafter]") {
  const std::string answer = "NPS \xE2\x86 to 45 \xF0\x9F and \xC3 churn < 3%";
  const auto candidates = split_key_result_candidates(answer);
  CHECK_FALSE(candidates.empty());
  CHECK_NOTHROW(objective_from_answer("\xF0\x9F"));
  CHECK_NOTHROW(parse_key_result("\xE2"));
  CHECK_NOTHROW(parse_key_result("grow to " + std::string(500, '9') + " users"));
  CHECK_NOTHROW(objective_from_answer("We will make it great \xE2\x9C"));
}

TEST_CASE("the objective keeps the person's own words after the framing", "[drafter]") {
  CHECK(objective_from_answer("I want to turn our onboarding into something people recommend") ==
        "Turn our onboarding into something people recommend");
  // Nothing after the framing: what they said is kept rather than lost.
  CHECK(objective_from_answer("I want to...") == "I want to");
}

TEST_CASE("a long answer of unmeasurable clauses stays one candidate", "[drafter]") {
  std::string answer;
  for (int i = 0; i < 1500; ++i)
    answer += "we care about quality, ";
  answer += "and about each other";
  const auto candidates = split_key_result_candidates(answer);
  REQUIRE(candidates.size() == 1);
  CHECK_FALSE(parse_key_result(candidates[0]).has_number);
}

TEST_CASE("a long comma list of measurable clauses becomes one candidate each", "[drafter]") {
  std::string answer;
  for (int i = 0; i < 300; ++i)
    answer += "NPS to " + std::to_string(i + 1) + ", ";
  answer += "churn below 3%";
  const auto candidates = split_key_result_candidates(answer);
  REQUIRE(candidates.size() == 301);
  CHECK(parse_key_result(candidates[299]).target == 300);
}

TEST_CASE("a starting point learned later turns a stated change into a target", "[drafter]") {
  const KeyResultDraft cut = with_baseline(parse_key_result("reduce churn by 20%"), 5);
  CHECK(cut.baseline == 5);
  CHECK(cut.target == 4);
  CHECK(cut.direction == Direction::decrease);

  const KeyResultDraft points = with_baseline(parse_key_result("raise NPS by 10 points"), 30);
  CHECK(points.target == 40);

  const KeyResultDraft kept = with_baseline(parse_key_result("Churn to 3%"), 5);
  CHECK(kept.target == 3);
  CHECK(kept.direction == Direction::decrease);  // the numbers say which way
}

TEST_CASE("the amount in a short 'where are you today' answer is read with its scale",
          "[drafter]") {
  CHECK(amount_in_answer("about 40%") == 40);
  CHECK(amount_in_answer("$1.2M right now") == 1200000);
  CHECK(amount_in_answer("we're at 40k") == 40000);
  CHECK(amount_in_answer("2,500 a week") == 2500);
  CHECK(amount_in_answer("2026") == 2026);  // a lone number is an amount
  CHECK(amount_in_answer("in 2026 it was 12") == 12);
  CHECK_FALSE(amount_in_answer("no idea yet").has_value());
}
