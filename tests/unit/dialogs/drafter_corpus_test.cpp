// Runs the golden drafter corpus (tests/golden/drafter_corpus.json): realistic answers to
// "how will you know?" and "what do you want?" with the extraction we expect for each.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>

#include "dialogs/drafter.hpp"

namespace {

using nlohmann::json;
using okr::dialogs::Direction;
using okr::dialogs::KeyResultDraft;
using okr::dialogs::KeyResultKind;

json load_corpus() {
  const std::string path = std::string(OKR_SOURCE_DIR) + "/tests/golden/drafter_corpus.json";
  std::ifstream in(path);
  REQUIRE(in.good());
  return json::parse(in);
}

const char* kind_name(KeyResultKind k) {
  switch (k) {
    case KeyResultKind::metric:
      return "metric";
    case KeyResultKind::baseline:
      return "baseline";
    case KeyResultKind::milestone:
      return "milestone";
  }
  return "?";
}

std::string show(const std::optional<double>& v) {
  if (!v)
    return "null";
  std::ostringstream out;
  out << *v;
  return out.str();
}

std::string describe(const KeyResultDraft& d) {
  std::ostringstream out;
  out << "{text: \"" << d.text << "\", kind: " << kind_name(d.kind)
      << ", baseline: " << show(d.baseline) << ", target: " << show(d.target) << ", unit: \""
      << d.unit
      << "\", direction: " << (d.direction == Direction::increase ? "increase" : "decrease")
      << ", has_number: " << d.has_number << ", deadline: " << (d.deadline ? *d.deadline : "none")
      << ", relative_change: " << show(d.relative_change)
      << ", absolute_change: " << show(d.absolute_change) << "}";
  return out.str();
}

bool same_number(const json& expected, const std::optional<double>& actual) {
  if (expected.is_null())
    return !actual.has_value();
  return actual.has_value() && std::fabs(expected.get<double>() - *actual) < 1e-6;
}

}  // namespace

TEST_CASE("the drafter reads every answer in the golden corpus as expected", "[drafter][corpus]") {
  const json corpus = load_corpus();
  const json& cases = corpus.at("key_result_cases");
  REQUIRE(cases.size() >= 70);

  for (const json& c : cases) {
    const std::string answer = c.at("answer").get<std::string>();
    DYNAMIC_SECTION("key results: " << c.at("name").get<std::string>()) {
      INFO("answer: " << answer);
      const auto candidates = okr::dialogs::split_key_result_candidates(answer);
      std::ostringstream got;
      for (const auto& text : candidates)
        got << "\n  " << describe(okr::dialogs::parse_key_result(text));
      INFO("got:" << got.str());
      const json& expected = c.at("candidates");
      REQUIRE(candidates.size() == expected.size());
      for (std::size_t i = 0; i < candidates.size(); ++i) {
        const KeyResultDraft d = okr::dialogs::parse_key_result(candidates[i]);
        const json& e = expected[i];
        INFO("candidate " << i << ": " << describe(d));
        if (e.contains("text"))
          CHECK(d.text == e.at("text").get<std::string>());
        CHECK(kind_name(d.kind) == e.at("kind").get<std::string>());
        CHECK(same_number(e.at("baseline"), d.baseline));
        CHECK(same_number(e.at("target"), d.target));
        CHECK(d.unit == e.at("unit").get<std::string>());
        CHECK((d.direction == Direction::increase ? "increase" : "decrease") ==
              e.at("direction").get<std::string>());
        CHECK(d.has_number == e.at("has_number").get<bool>());
        if (e.contains("deadline")) {
          CHECK(d.deadline == std::optional<std::string>(e.at("deadline").get<std::string>()));
        } else {
          CHECK_FALSE(d.deadline.has_value());
        }
        CHECK(same_number(e.value("relative_change", json()), d.relative_change));
        CHECK(same_number(e.value("absolute_change", json()), d.absolute_change));
      }
    }
  }
}

TEST_CASE("the drafter turns every 'what do you want' answer into the expected objective",
          "[drafter][corpus]") {
  const json corpus = load_corpus();
  const json& cases = corpus.at("objective_cases");
  REQUIRE(cases.size() >= 15);
  int n = 0;
  for (const json& c : cases) {
    const std::string answer = c.at("answer").get<std::string>();
    DYNAMIC_SECTION("objective " << ++n << ": " << answer.substr(0, 40)) {
      INFO("answer: " << answer);
      CHECK(okr::dialogs::objective_from_answer(answer) == c.at("objective").get<std::string>());
    }
  }
}
