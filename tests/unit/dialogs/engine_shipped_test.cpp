// The four shipped dialogs, scripted end to end through handle_turn as a person would type.
#include <catch2/catch.hpp>

#include "dialog_script.hpp"

using namespace okr::dialogs;
using namespace okr::dialogs::testing;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Objective onboarding_objective() {
  Objective o;
  o.id = 1;
  o.person_id = 7;
  o.text = "Make onboarding delightful";
  KeyResult nps;
  nps.id = 11;
  nps.text = "NPS from 30 to 45";
  nps.baseline = 30;
  nps.target = 45;
  KeyResult churn;
  churn.id = 12;
  churn.text = "Churn from 5% to 3%";
  churn.baseline = 5;
  churn.target = 3;
  churn.unit = "%";
  churn.direction = Direction::decrease;
  KeyResult launch;
  launch.id = 13;
  launch.text = "Ship the guided setup";
  launch.kind = KeyResultKind::milestone;
  o.key_results = {nps, churn, launch};
  return o;
}

// Answers "keep" to follow-up questions until the draft reaches its summary.
std::string keep_until_summary(Script& s, std::string reply) {
  for (int i = 0; i < 8 && contains(reply, "type keep"); ++i)
    reply = s.say("keep");
  return reply;
}

}  // namespace

TEST_CASE("draft: the coaching questions come one at a time and confirm saves the objective") {
  Script s(shipped_catalog());
  CHECK(contains(s.say("draft"), "What do you want to achieve this cycle?"));
  CHECK(contains(s.say("I want to make onboarding delightful for new customers."), "why now"));
  CHECK(contains(s.say("Half of new sign-ups give up in their first week."), "How will you know"));
  // The first sign names its starting point, so only the second is asked about.
  auto reply = s.say("activation rate from 40% to 60%; customers feel happier");
  CHECK(contains(reply, "Where are you today on \"customers feel happier\"?"));
  CHECK_FALSE(contains(reply, "activation"));
  CHECK(contains(s.say("no idea yet"), "What might get in the way?"));
  CHECK(contains(s.say("The migration eats our time"), "What support would help"));

  // The vague key result gets a coaching question, not a verdict.
  reply = s.say("An hour a week with a designer");
  REQUIRE(contains(reply, "type keep"));
  const auto followups = s.instance().variables["followups"];
  bool asks_about_vague_kr = false;
  for (const auto& f : followups)
    asks_about_vague_kr |= f["index"] == 1;
  CHECK(asks_about_vague_kr);

  // `summary` during the follow-ups shows the draft as it stands.
  CHECK(contains(s.say("summary"), "KR1: activation rate from 40% to 60%"));

  // The answer to the follow-up sharpens the key result in the person's words.
  reply = s.say("NPS from 30 to 45");
  reply = keep_until_summary(s, reply);
  CHECK(contains(reply, "Here is what I heard"));
  CHECK(contains(reply, "Why now: Half of new sign-ups give up in their first week."));
  CHECK(contains(reply, "Objective: "));
  CHECK(contains(reply, "onboarding delightful for new customers"));
  CHECK(contains(reply, "NPS from 30 to 45"));
  CHECK(contains(reply, "1) Confirm  2) Edit a part  3) Start over"));
  CHECK(s.effects.empty());

  CHECK(contains(s.say("confirm"), "Saved."));
  CHECK_FALSE(s.active());
  REQUIRE(s.effects.size() == 1);
  const auto* save = std::get_if<SaveObjective>(&s.effects[0]);
  REQUIRE(save);
  CHECK(save->objective.person_id == 7);
  CHECK(contains(save->objective.text, "onboarding delightful"));
  CHECK(save->objective.text.find("I want to") == std::string::npos);
  CHECK(save->objective.why == "Half of new sign-ups give up in their first week.");
  CHECK(save->objective.obstacles == "The migration eats our time");
  CHECK(save->objective.support == "An hour a week with a designer");
  REQUIRE(save->objective.key_results.size() == 2);
  const auto& activation = save->objective.key_results[0];
  CHECK(activation.baseline == Approx(40));
  CHECK(activation.target == Approx(60));
  // A follow-up answer that is a whole key result replaces the vague words.
  CHECK(save->objective.key_results[1].text == "NPS from 30 to 45");
  CHECK(save->objective.key_results[1].position == 1);
}

TEST_CASE("draft: a follow-up answered with keep leaves the key result as the person wrote it") {
  Script s(shipped_catalog());
  std::string reply;
  for (auto t : {"draft", "Grow the community", "It keeps us honest",
                 "more people feel at home; monthly meetups from 2 to 4", "not sure", "2", "time",
                 "a budget"}) {
    reply = s.say(t);
  }
  REQUIRE(contains(reply, "type keep"));
  reply = keep_until_summary(s, reply);
  CHECK(contains(reply, "Here is what I heard"));
  CHECK(contains(reply, "more people feel at home"));
}

TEST_CASE("draft: edit a part changes only that part and returns to the summary") {
  Script s(shipped_catalog());
  std::string reply;
  for (auto t : {"draft", "Grow the community", "It keeps us honest",
                 "monthly meetups from 2 to 4; newsletter readers from 300 to 600", "2", "300",
                 "time", "a budget"}) {
    reply = s.say(t);
  }
  reply = keep_until_summary(s, reply);
  REQUIRE(contains(reply, "Here is what I heard"));
  CHECK(contains(s.say("Edit a part"), "Which part would you like to change?"));
  CHECK(contains(s.say("1"), "How would you put what you want now?"));
  reply = s.say("Build a community people love");
  CHECK(contains(reply, "Objective: Build a community people love"));
  CHECK(contains(reply, "monthly meetups from 2 to 4"));
}

TEST_CASE("draft: a reflection from last cycle is brought back before the first question") {
  Script s(shipped_catalog());
  Reflection last;
  last.do_differently = "start smaller";
  last.stop_habit = "saying yes to every request";
  last.carry_forward = "weekly demos";
  s.context.last_reflection = last;
  const auto reply = s.say("draft");
  CHECK(contains(reply, "last cycle"));
  CHECK(contains(reply, "\"start smaller\""));
  CHECK(contains(reply, "\"saying yes to every request\""));
  CHECK(contains(reply, "\"weekly demos\""));
  CHECK(contains(s.say("Fewer goals, and demo every week"), "What do you want to achieve"));
  CHECK(s.instance().variables["carry_in"] == "Fewer goals, and demo every week");
  const auto summary = s.say("summary");
  CHECK(contains(summary, "From last cycle: Fewer goals, and demo every week"));
}

TEST_CASE("draft: the team's parent objective is asked about when there is one") {
  Script s(shipped_catalog());
  s.context.settings.parent_objective = "Grow recurring revenue";
  for (auto t : {"draft", "Happier customers", "Churn hurts",
                 "churn from 5% to 3%; NPS from 30 to 45", "time"}) {
    s.say(t);
  }
  CHECK(contains(s.say("a data analyst"),
                 "\"Grow recurring revenue\". How does what you want connect"));
}

TEST_CASE("checkin: each key result's value and confidence, then confirm saves the check-ins") {
  Script s(shipped_catalog());
  s.context.objectives = {onboarding_objective()};
  CheckIn last;
  last.key_result_id = 11;
  last.value = 36;
  last.confidence = 6;
  s.context.latest_checkins[11] = last;

  auto reply = s.say("checkin");
  CHECK(contains(
      reply, "\"NPS from 30 to 45\": where does it stand now? Last time: 36, confidence 6/10."));
  CHECK(contains(s.say("38"), "How confident are you"));
  CHECK(contains(s.say("7"), "\"Churn from 5% to 3%\": where does it stand now?"));
  s.say("4.5%");
  reply = s.say("6");
  CHECK(contains(reply, "Is \"Ship the guided setup\" done?"));
  CHECK(contains(reply, "1) Done  2) Not yet"));
  s.say("not yet");
  CHECK(contains(s.say("3"), "What moved things this week?"));
  s.say("Two customer interviews");
  s.say("nothing");
  reply = s.say("Finish the setup wizard");
  CHECK(contains(reply, "Here's your check-in"));
  CHECK(contains(reply, "NPS from 30 to 45: 38 (53%, +13 pts), confidence 7/10"));
  CHECK(contains(reply, "Churn from 5% to 3%: 4.5% (25%)"));
  CHECK(contains(reply, "Ship the guided setup: not yet (0%), confidence 3/10  [at risk]"));
  CHECK(contains(reply, "Focus next week: Finish the setup wizard"));

  CHECK(contains(s.say("yes"), "Saved."));
  REQUIRE(s.effects.size() == 1);
  const auto* save = std::get_if<SaveCheckIns>(&s.effects[0]);
  REQUIRE(save);
  REQUIRE(save->check_ins.size() == 3);
  CHECK(save->check_ins[0].key_result_id == 11);
  CHECK(save->check_ins[0].value == Approx(38));
  CHECK(save->check_ins[0].confidence == 7);
  CHECK(save->check_ins[1].value == Approx(4.5));
  CHECK(save->check_ins[2].value == Approx(0));
  CHECK(save->check_ins[2].confidence == 3);
  CHECK(save->check_ins[0].helped == "Two customer interviews");
  CHECK(save->check_ins[0].blockers == "nothing");
  CHECK(save->check_ins[0].next_focus == "Finish the setup wizard");
  CHECK(save->check_ins[0].person_id == 7);
}

TEST_CASE("checkin: without key results it says so and suggests draft") {
  Script s(shipped_catalog());
  CHECK(contains(s.say("check-in"), "Type draft"));
  CHECK_FALSE(s.active());
}

TEST_CASE("reflect: scores, learnings and confirm save the reflection") {
  Script s(shipped_catalog());
  s.context.objectives = {onboarding_objective()};
  s.context.cycle = Cycle{3, 1, "2026-Q4", at(0), at(90)};
  CHECK(contains(s.say("reflect"), "How would you score \"NPS from 30 to 45\""));
  s.say("0.7");
  CHECK(contains(s.say("something"), "A score from 0.0 to 1.0"));
  s.say("40%");
  CHECK(contains(s.say("1"), "what did you learn?"));
  s.say("Customers tell us more in calls than in surveys");
  s.say("The weekly demos");
  s.say("Start smaller");
  s.say("Saying yes to every request");
  CHECK(contains(s.say("Weekly demos"), "May your coach read this reflection?"));
  const auto reply = s.say("no");
  CHECK(contains(reply, "Here is what I heard from your reflection"));
  CHECK(contains(reply, "Habit to stop: Saying yes to every request"));
  CHECK(contains(reply, "Churn from 5% to 3%: 0.4"));
  s.say("confirm");
  REQUIRE(s.effects.size() == 1);
  const auto* save = std::get_if<SaveReflection>(&s.effects[0]);
  REQUIRE(save);
  CHECK(save->reflection.cycle_id == 3);
  REQUIRE(save->reflection.scores.size() == 3);
  CHECK(save->reflection.scores[0] == std::pair<Id, double>{11, 0.7});
  CHECK(save->reflection.scores[1].second == Approx(0.4));
  CHECK(save->reflection.scores[2].second == Approx(1.0));
  CHECK(save->reflection.stop_habit == "Saying yes to every request");
  CHECK(save->reflection.carry_forward == "Weekly demos");
  CHECK_FALSE(save->reflection.shared_with_coach);
}

TEST_CASE("setup: a member who is not a coach or admin is told who can do it") {
  Script s(shipped_catalog());
  s.context.team = Team{4, "Growth", {}};
  s.context.roles = {Role::member};
  CHECK(contains(s.say("setup"), "coach or an admin"));
  CHECK_FALSE(s.active());
}

TEST_CASE("setup: a coach goes through the program parameters with defaults offered") {
  Script s(shipped_catalog());
  s.context.team = Team{4, "Growth", {}};
  s.context.roles = {Role::member, Role::coach};
  auto reply = s.say("setup");
  CHECK(contains(reply, "(now: individual)"));
  CHECK(contains(reply, "type ok to keep it"));
  for (auto t :
       {"team", "ok", "ok", "4", "no", "ok", "ok", "tuesday", "9:30", "ok", "ok", "Mars/Olympus"}) {
    reply = s.say(t);
  }
  CHECK(contains(reply, "I don't know that time zone"));
  for (auto t : {"Europe/Berlin", "ok", "Grow recurring revenue"})
    reply = s.say(t);
  reply = s.say("#okrs");
  CHECK(contains(reply, "Shall I save it for Growth?"));
  CHECK(contains(reply, "Check-in time: 09:30"));
  CHECK(contains(reply, "Check-in: Tuesday"));
  CHECK(contains(reply, "Level: Team"));
  s.say("confirm");
  REQUIRE(s.effects.size() == 1);
  const auto* save = std::get_if<SaveTeamSettings>(&s.effects[0]);
  REQUIRE(save);
  CHECK(save->team_id == 4);
  CHECK(save->settings.level == OkrLevel::team);
  CHECK(save->settings.max_objectives == 3);
  CHECK(save->settings.max_key_results == 4);
  CHECK_FALSE(save->settings.allow_milestone);
  CHECK(save->settings.allow_baseline);
  CHECK(save->settings.checkin_weekday == "tue");
  CHECK(save->settings.checkin_time == "09:30");
  CHECK(save->settings.digest_weekday == "fri");
  CHECK(save->settings.time_zone == "Europe/Berlin");
  CHECK_FALSE(save->settings.feeds_performance_reviews);
  CHECK(save->settings.parent_objective == "Grow recurring revenue");
  CHECK(save->settings.publish_to == "#okrs");
}

TEST_CASE("draft: summary mid-dialog repeats the person's own words so far") {
  Script s(shipped_catalog());
  for (auto t : {"draft", "I want happier customers", "Churn hurts"})
    s.say(t);
  const auto reply = s.say("summary");
  CHECK(contains(reply, "What you want: I want happier customers"));
  CHECK(contains(reply, "Why now: Churn hurts"));
  CHECK(contains(reply, "How will you know you got there?"));
}

TEST_CASE("draft: at the team's objective limit the coach asks before drafting another") {
  Script s(shipped_catalog());
  s.context.settings.max_objectives = 1;
  s.context.objectives = {onboarding_objective()};
  const auto reply = s.say("draft");
  CHECK(contains(reply,
                 "You've reached the number of objectives your team agreed on for a cycle (1)"));
  CHECK(contains(s.say("no"), "Type okrs"));
  CHECK_FALSE(s.active());
  s.say("draft");
  CHECK(contains(s.say("yes"), "What do you want to achieve this cycle?"));
}

TEST_CASE("draft: with more key results than the program allows, the person picks by number") {
  Script s(shipped_catalog());
  s.context.settings.max_key_results = 2;
  std::string reply;
  for (auto t : {"draft", "Happier customers", "Churn hurts",
                 "churn from 5% to 3%; NPS from 30 to 45; tickets from 90 to 50 a week", "time",
                 "sales"}) {
    reply = s.say(t);
  }
  REQUIRE(contains(reply, "1) churn from 5% to 3%"));
  REQUIRE(contains(reply, "3) tickets from 90 to 50 a week"));
  reply = keep_until_summary(s, s.say("1 and 3"));
  CHECK(contains(reply, "KR1: churn from 5% to 3%"));
  CHECK(contains(reply, "KR2: tickets from 90 to 50 a week"));
  CHECK_FALSE(contains(reply, "NPS"));
}

TEST_CASE("setup: someone without a team is told a program belongs to a team") {
  Script s(shipped_catalog());
  CHECK(contains(s.say("setup"), "not in one yet"));
  CHECK_FALSE(s.active());
}

TEST_CASE("draft: signs sent one message at a time are collected until there are enough") {
  Script s(shipped_catalog());
  for (auto t : {"draft", "Happier customers", "Churn hurts"}) s.say(t);
  auto reply = s.say("churn from 5% to 3%");
  CHECK(contains(reply, "What else would tell you"));
  // Once signs come one at a time, the coach keeps collecting until the person says done.
  CHECK(contains(s.say("customers feel happier"), "What else would tell you"));
  reply = s.say("done");
  CHECK(contains(reply, "Where are you today on \"customers feel happier\"?"));
  for (auto t : {"no idea", "time", "a designer"}) reply = s.say(t);
  reply = keep_until_summary(s, reply);
  CHECK(contains(reply, "KR1: churn from 5% to 3%"));
  CHECK(contains(reply, "KR2: customers feel happier"));
}

TEST_CASE("draft: collecting signs one at a time stops at the program's maximum") {
  Script s(shipped_catalog());
  s.context.settings.max_key_results = 3;
  for (auto t : {"draft", "Happier customers", "Churn hurts", "churn from 5% to 3%",
                 "NPS from 30 to 45"}) {
    s.say(t);
  }
  CHECK(contains(s.say("tickets from 90 to 50 a week"), "What might get in the way?"));
}

TEST_CASE("draft: `done` ends the collection of signs even below the program's minimum") {
  Script s(shipped_catalog());
  for (auto t : {"draft", "Happier customers", "Churn hurts"}) s.say(t);
  CHECK(contains(s.say("churn from 5% to 3%"), "What else would tell you"));
  CHECK(contains(s.say("done"), "What might get in the way?"));
}

TEST_CASE("draft: a stated change gets its target once the person says where they are today") {
  Script s(shipped_catalog());
  for (auto t : {"draft", "Happier customers", "Churn hurts"}) s.say(t);
  CHECK(contains(s.say("reduce churn by 20%; NPS from 30 to 45"),
                 "Where are you today on \"reduce churn by 20%\"?"));
  for (auto t : {"5%", "time", "a designer"}) s.say(t);
  const auto krs = s.instance().variables["draft"]["key_results"];
  REQUIRE(krs.size() == 2);
  CHECK(krs[0]["baseline"].get<double>() == Approx(5));
  CHECK(krs[0]["target"].get<double>() == Approx(4));
}

TEST_CASE("okrs: expected progress counts from when the OKR was set, not the cycle's first day") {
  Script s(shipped_catalog());
  Cycle cycle;
  cycle.starts_at = at(0);
  cycle.ends_at = at(90);
  s.context.cycle = cycle;
  s.context.now = at(61);
  Objective objective = onboarding_objective();
  objective.key_results.resize(1);  // NPS from 30 to 45, no check-in yet
  objective.key_results[0].objective_id = objective.id;

  SECTION("an OKR drafted yesterday is not behind yet") {
    objective.created_at = at(60);
    s.context.objectives = {objective};
    const auto reply = s.say("okrs");
    CHECK(contains(reply, "NPS from 30 to 45"));
    CHECK_FALSE(contains(reply, "[at risk]"));
  }
  SECTION("an OKR set on the cycle's first day and still at its baseline two months in is") {
    objective.created_at = at(0);
    s.context.objectives = {objective};
    CHECK(contains(s.say("okrs"), "NPS from 30 to 45: 30 (0%)  [at risk]"));
  }
}
