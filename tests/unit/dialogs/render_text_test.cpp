#include <catch2/catch.hpp>

#include "dialogs/message_json.hpp"
#include "dialogs/render_text.hpp"

using namespace okr::dialogs;

TEST_CASE("choices render as numbered options on one line after the text") {
  Outbound m;
  m.text = "Here is what I heard.";
  m.question = Question{
      "summary",
      {{"confirm", "Confirm", 1, {}}, {"edit", "Edit", 2, {}}, {"restart", "Start over", 3, {}}}};
  CHECK(render_text(m) == "Here is what I heard.\n1) Confirm  2) Edit  3) Start over");
}

TEST_CASE("a scale renders its range and what the ends mean") {
  Outbound m;
  m.text = "How confident are you?";
  m.scale = Scale{"c", 1, 10, "not at all", "certain"};
  CHECK(render_text(m) == "How confident are you?\n(1-10: 1 = not at all, 10 = certain)");
  m.scale = Scale{"c", 1, 5, "", ""};
  CHECK(render_text(m) == "How confident are you?\n(1-5)");
}

TEST_CASE("an OKR card shows the objective, why, and each key result with baseline and target") {
  Outbound m;
  m.text = "Draft:";
  KeyResult a;
  a.text = "Activation from 40% to 60%";
  a.baseline = 40;
  a.target = 60;
  a.unit = "%";
  KeyResult b;
  b.text = "Ship the guided setup";
  b.kind = KeyResultKind::milestone;
  b.deadline = "2026-12-31";
  m.okr = OkrCard{"Make onboarding delightful", "Half of sign-ups give up", "", {a, b}};
  CHECK(render_text(m) ==
        "Draft:\n"
        "  Objective: Make onboarding delightful\n"
        "  Why now: Half of sign-ups give up\n"
        "  KR1: Activation from 40% to 60% (metric, 40% -> 60%)\n"
        "  KR2: Ship the guided setup (milestone, by 2026-12-31)");
}

TEST_CASE("a progress table groups key results by objective with change, confidence and risk") {
  Outbound m;
  m.text = "Where things stand";
  ProgressRow r1{"Happier customers", "NPS from 30 to 45", "38", 0.533, 0.133, 7, false};
  ProgressRow r2{"Happier customers", "Churn below 3%", "4.8%", 0.1, -0.05, 3, true};
  m.progress = ProgressTable{"This week", {r1, r2}};
  CHECK(render_text(m) ==
        "Where things stand\n"
        "This week\n"
        "  Happier customers\n"
        "    - NPS from 30 to 45: 38 (53%, +13 pts), confidence 7/10\n"
        "    - Churn below 3%: 4.8% (10%, -5 pts), confidence 3/10  [at risk]");
}

TEST_CASE("a summary card lists its labelled answers") {
  Outbound m;
  m.text = "So far:";
  m.summary = SummaryCard{"", {{"What you want", "Grow the community"}, {"Why now", "It matters"}}};
  CHECK(render_text(m) == "So far:\n  What you want: Grow the community\n  Why now: It matters");
}

TEST_CASE("outbound and inbound messages survive their JSON form") {
  Outbound m;
  m.text = "t";
  m.question = Question{"q", {{"yes", "Yes", 1, {"y"}}}};
  m.scale = Scale{"s", 1, 10, "low", "high"};
  KeyResult kr;
  kr.text = "x";
  kr.target = 5;
  m.okr = OkrCard{"o", "w", "p", {kr}};
  m.progress = ProgressTable{"t", {{"o", "k", "v", 0.5, std::nullopt, 4, true}}};
  m.summary = SummaryCard{"h", {{"a", "b"}}};
  const Outbound back = nlohmann::json(m).get<Outbound>();
  CHECK(render_text(back) == render_text(m));
  CHECK(back.question->choices[0].words == std::vector<std::string>{"y"});
  CHECK_FALSE(back.progress->rows[0].change.has_value());

  Inbound in{"slack", "T1", "U1", "D1", "", Action{"q", "yes"}};
  const Inbound again = nlohmann::json(in).get<Inbound>();
  REQUIRE(again.action);
  CHECK(again.action->value == "yes");
  CHECK(again.conversation == "D1");
}

TEST_CASE("a tiny step backwards shows as 0%, never -0%") {
  Outbound m;
  m.progress = ProgressTable{"", {{"", "Churn", "5%", -0.001, -0.001, std::nullopt, false}}};
  CHECK(render_text(m) == "    - Churn: 5% (0%, +0 pts)");
}

TEST_CASE("a row without a value shows only its text") {
  Outbound m;
  m.progress = ProgressTable{
      "", {{"Grow", "(no key results yet)", "", 0, std::nullopt, std::nullopt, false}}};
  CHECK(render_text(m) == "  Grow\n    - (no key results yet)");
}
