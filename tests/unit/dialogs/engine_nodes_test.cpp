// The engine on a small purpose-built dialog: every node kind, the global words, buttons and
// typed fallbacks, resuming from stored state, idle expiry and definition version changes.
#include <catch2/catch.hpp>

#include "dialog_script.hpp"

using namespace okr::dialogs;
using namespace okr::dialogs::testing;

namespace {

// name -> ask (text) -> ask (number) -> branch on a yes/no -> loop over krs with a scale ->
// summary (confirm / edit / start over) -> end.
std::string tour(int version = 1, const std::string& extra_node = "") {
  return R"({"name": "tour", "version": )" + std::to_string(version) + R"(, "title": "the tour",
    "help": "A tour of every node kind.", "start": "name", "nodes": [
    {"id": "name", "kind": "ask", "variable": "name", "text": "What shall I call you?",
     "help": "Any name will do.", "next": "age"},
    {"id": "age", "kind": "ask", "variable": "age", "validator": "number", "min": 0, "max": 150,
     "text": "How old are you, {name}?", "reask": "Just the number, please.", "next": "likes"},
    {"id": "likes", "kind": "ask", "variable": "likes_tea", "validator": "yes_no",
     "text": "Do you like tea?", "next": "tea_branch"},
    {"id": "tea_branch", "kind": "branch", "on": "likes_tea",
     "cases": {"true": "kind"}, "otherwise": "load"},
    {"id": "kind", "kind": "ask", "variable": "tea", "validator": "choice",
     "text": "Which tea?", "choices": [
       {"id": "green", "label": "Green tea", "words": ["matcha"]},
       {"id": "black", "label": "Black tea"}], "next": "load"},
    {"id": "load", "kind": "action", "action": "load_active_krs", "next": "kr_loop"},
    {"id": "kr_loop", "kind": "loop", "over": "krs", "as": "kr", "body": "confidence",
     "next": "summary"},
    {"id": "confidence", "kind": "ask", "variable": "kr.confidence", "validator": "scale",
     "min": 1, "max": 10, "low_label": "not at all", "high_label": "certain",
     "text": "Confidence for {kr.text}?", "next": "kr_loop"},
    {"id": "summary", "kind": "summary", "text": "Here is what I heard.",
     "items": [{"label": "Name", "variable": "name"}, {"label": "Age", "variable": "age"},
               {"label": "Tea", "variable": "tea"}],
     "choices": [
       {"id": "confirm", "label": "Confirm", "words": ["yes"], "next": "bye"},
       {"id": "edit", "label": "Edit", "next": "name"},
       {"id": "restart", "label": "Start over", "next": "@restart"}]},
    {"id": "bye", "kind": "end", "text": "Goodbye, {name}."})" +
         extra_node + "]}";
}

Objective objective_with_two_krs() {
  Objective o;
  o.id = 1;
  o.text = "Happier customers";
  KeyResult a;
  a.id = 11;
  a.text = "NPS from 30 to 45";
  a.baseline = 30;
  a.target = 45;
  KeyResult b;
  b.id = 12;
  b.text = "Churn below 3%";
  b.baseline = 5;
  b.target = 3;
  b.unit = "%";
  b.direction = Direction::decrease;
  o.key_results = {a, b};
  return o;
}

Script tour_script(int version = 1) {
  Script s(catalog_of("tour", tour(version)));
  s.context.objectives = {objective_with_two_krs()};
  return s;
}

}  // namespace

TEST_CASE("a message outside any dialog gets a short help listing what the coach can do") {
  Script s(shipped_catalog());
  const auto reply = s.say("hello there");
  CHECK(reply.find("draft") != std::string::npos);
  CHECK(reply.find("checkin") != std::string::npos);
  CHECK(reply.find("reflect") != std::string::npos);
  CHECK(reply.find("okrs") != std::string::npos);
  CHECK_FALSE(s.active());
}

TEST_CASE("typing a dialog's name begins it at its start node") {
  Script s = tour_script();
  CHECK(s.say("tour").find("What shall I call you?") != std::string::npos);
  REQUIRE(s.active());
  CHECK(s.instance().node == "name");
  CHECK(s.instance().dialog == "tour");
  CHECK(s.instance().version == 1);
}

TEST_CASE("a whole dialog runs through ask, branch, choice, action, loop, summary and end") {
  Script s = tour_script();
  s.say("tour");
  CHECK(s.say("Ana").find("How old are you, Ana?") != std::string::npos);
  CHECK(s.say("about 41").find("Do you like tea?") != std::string::npos);
  CHECK(s.say("yes").find("1) Green tea  2) Black tea") != std::string::npos);
  CHECK(s.say("matcha").find("Confidence for NPS from 30 to 45?") != std::string::npos);
  CHECK(s.say("7").find("Confidence for Churn below 3%?") != std::string::npos);
  const auto summary = s.say("4");
  CHECK(summary.find("Here is what I heard.") != std::string::npos);
  CHECK(summary.find("Name: Ana") != std::string::npos);
  CHECK(summary.find("Age: 41") != std::string::npos);
  CHECK(summary.find("Tea: Green tea") != std::string::npos);
  CHECK(summary.find("1) Confirm  2) Edit  3) Start over") != std::string::npos);
  auto vars = s.instance().variables;
  CHECK(vars["krs"][0]["confidence"] == 7);
  CHECK(vars["krs"][1]["confidence"] == 4);
  CHECK(s.say("1").find("Goodbye, Ana.") != std::string::npos);
  CHECK_FALSE(s.active());
}

TEST_CASE("a branch takes its otherwise path when no case matches") {
  Script s = tour_script();
  s.say("tour");
  s.say("Ana");
  s.say("41");
  CHECK(s.say("no").find("Confidence for NPS") != std::string::npos);
}

TEST_CASE("an answer that does not fit is met with the re-ask text and the same question") {
  Script s = tour_script();
  s.say("tour");
  s.say("Ana");
  const auto reply = s.say("old enough");
  CHECK(reply.find("Just the number, please.") != std::string::npos);
  CHECK(reply.find("How old are you, Ana?") != std::string::npos);
  CHECK(s.instance().node == "age");
  s.say("200");
  CHECK(s.instance().node == "age");
}

TEST_CASE("a scale answer outside its range is re-asked with the range") {
  Script s = tour_script();
  for (auto t : {"tour", "Ana", "41", "no"})
    s.say(t);
  const auto reply = s.say("11");
  CHECK(reply.find("from 1 to 10") != std::string::npos);
  CHECK(reply.find("(1-10: 1 = not at all, 10 = certain)") != std::string::npos);
}

TEST_CASE("choices can be typed by number, label in any case, extra word, or clicked") {
  for (std::string typed : {"2", "BLACK TEA", "black"}) {
    Script s = tour_script();
    for (auto t : {"tour", "Ana", "41", "y"})
      s.say(t);
    s.say(typed);
    CHECK(s.instance().variables["tea"] == "black");
  }
  Script s = tour_script();
  for (auto t : {"tour", "Ana", "41", "y"})
    s.say(t);
  REQUIRE(s.last_messages().back().question);
  CHECK(s.last_messages().back().question->id == "kind");
  s.click("kind", "green");
  CHECK(s.instance().variables["tea"] == "green");
}

TEST_CASE("a click on an earlier question's button is not taken as an answer") {
  Script s = tour_script();
  for (auto t : {"tour", "Ana", "41", "y"})
    s.say(t);
  const auto reply = s.click("likes", "no");
  CHECK(reply.find("earlier question") != std::string::npos);
  CHECK(s.instance().node == "kind");
}

TEST_CASE("back re-asks the previous question, also across loop iterations") {
  Script s = tour_script();
  for (auto t : {"tour", "Ana", "41", "no", "7"})
    s.say(t);
  CHECK(s.instance().node == "confidence");
  CHECK(s.instance().variables["kr"]["text"] == "Churn below 3%");
  CHECK(s.say("back").find("Confidence for NPS from 30 to 45?") != std::string::npos);
  CHECK(s.instance().variables["kr"]["text"] == "NPS from 30 to 45");
  s.say("8");
  s.say("3");
  CHECK(s.instance().variables["krs"][0]["confidence"] == 8);
  CHECK(s.instance().node == "summary");
  s.say("back");
  s.say("back");
  CHECK(s.say("back").find("Do you like tea?") != std::string::npos);
}

TEST_CASE("back at the first question says so and asks it again") {
  Script s = tour_script();
  s.say("tour");
  const auto reply = s.say("back");
  CHECK(reply.find("first question") != std::string::npos);
  CHECK(reply.find("What shall I call you?") != std::string::npos);
}

TEST_CASE("cancel ends the dialog, saves nothing and says so") {
  Script s = tour_script();
  for (auto t : {"tour", "Ana", "41", "no", "7", "4"})
    s.say(t);
  const auto reply = s.say("cancel");
  CHECK(reply.find("Nothing from this conversation was saved") != std::string::npos);
  CHECK_FALSE(s.active());
  CHECK(s.effects.empty());
}

TEST_CASE("help inside a dialog explains the question and how to move around, then re-asks") {
  Script s = tour_script();
  s.say("tour");
  const auto reply = s.say("help");
  CHECK(reply.find("Any name will do.") != std::string::npos);
  CHECK(reply.find("back") != std::string::npos);
  CHECK(reply.find("cancel") != std::string::npos);
  CHECK(reply.find("What shall I call you?") != std::string::npos);
  CHECK(s.instance().node == "name");
}

TEST_CASE("summary shows what has been answered so far and re-asks") {
  Script s = tour_script();
  for (auto t : {"tour", "Ana"})
    s.say(t);
  const auto reply = s.say("summary");
  CHECK(reply.find("Name: Ana") != std::string::npos);
  CHECK(reply.find("Age:") == std::string::npos);
  CHECK(reply.find("How old are you, Ana?") != std::string::npos);
}

TEST_CASE("start over from the summary clears the answers and begins again") {
  Script s = tour_script();
  for (auto t : {"tour", "Ana", "41", "no", "7", "4"})
    s.say(t);
  const auto reply = s.say("start over");
  CHECK(reply.find("What shall I call you?") != std::string::npos);
  CHECK_FALSE(s.instance().variables.contains("name"));
  CHECK(s.instance().history.empty());
}

TEST_CASE("an instance serialised mid-dialog resumes exactly where it stopped") {
  Script s = tour_script();
  for (auto t : {"tour", "Ana", "41", "no", "7"})
    s.say(t);
  const std::string stored = nlohmann::json(s.instance()).dump();

  const DialogInstance restored = nlohmann::json::parse(stored).get<DialogInstance>();
  CHECK(restored.node == "confidence");
  CHECK(restored.history.size() == 4);
  const auto catalog = catalog_of("tour", tour());
  Context context = s.context;
  StepResult next =
      handle_turn(catalog, restored, Inbound{"terminal", "local", "ana", "c1", "5", {}}, context);
  REQUIRE(next.instance);
  CHECK(next.instance->node == "summary");
  CHECK(next.instance->variables["krs"][1]["confidence"] == 5);
  CHECK(next.instance->started_at == restored.started_at);
}

TEST_CASE("a dialog idle longer than idle_days closes politely on the next message") {
  Script s = tour_script();
  s.context.idle_days = 7;
  s.say("tour");
  s.say("Ana");
  s.context.now = at(8);
  const auto reply = s.say("41");
  CHECK(reply.find("8 days") != std::string::npos);
  CHECK(reply.find("closed") != std::string::npos);
  CHECK_FALSE(s.active());
  CHECK(s.effects.empty());
}

TEST_CASE("a dialog idle less than idle_days simply continues") {
  Script s = tour_script();
  s.say("tour");
  s.say("Ana");
  s.context.now = at(6);
  s.say("41");
  CHECK(s.instance().node == "likes");
}

TEST_CASE("an idle dialog closed by a command word begins that command") {
  Script s = tour_script();
  s.say("tour");
  s.context.now = at(30);
  const auto reply = s.say("tour");
  CHECK(reply.find("closed") != std::string::npos);
  CHECK(reply.find("What shall I call you?") != std::string::npos);
  CHECK(s.active());
}

TEST_CASE("after a version change a dialog resumes by node id when the node still exists") {
  Script s = tour_script();
  for (auto t : {"tour", "Ana"})
    s.say(t);
  const DialogInstance saved = s.instance();
  const auto v2 =
      catalog_of("tour", tour(2, R"(, {"id": "new_one", "kind": "end", "text": "unused"})"));
  StepResult r =
      handle_turn(v2, saved, Inbound{"terminal", "local", "ana", "c1", "41", {}}, s.context);
  REQUIRE(r.instance);
  CHECK(r.instance->version == 2);
  CHECK(r.instance->node == "likes");
}

TEST_CASE("after a version change that removed the current node the dialog restarts politely") {
  Script s = tour_script();
  for (auto t : {"tour", "Ana"})
    s.say(t);
  DialogInstance saved = s.instance();
  saved.node = "question_that_was_removed";
  const auto v2 = catalog_of("tour", tour(2));
  StepResult r =
      handle_turn(v2, saved, Inbound{"terminal", "local", "ana", "c1", "41", {}}, s.context);
  REQUIRE(r.instance);
  CHECK(r.instance->node == "name");
  CHECK(r.instance->version == 2);
  REQUIRE(r.messages.size() >= 2);
  CHECK(r.messages[0].text.find("changed") != std::string::npos);
  CHECK(r.messages[1].text == "What shall I call you?");
}

TEST_CASE("okrs lists the person's key results with progress") {
  Script s(shipped_catalog());
  s.context.objectives = {objective_with_two_krs()};
  CheckIn c;
  c.key_result_id = 11;
  c.value = 36;
  c.confidence = 6;
  s.context.latest_checkins[11] = c;
  const auto reply = s.say("okrs");
  CHECK(reply.find("Happier customers") != std::string::npos);
  CHECK(reply.find("NPS from 30 to 45: 36 (40%)") != std::string::npos);
  CHECK(reply.find("confidence 6/10") != std::string::npos);
  CHECK_FALSE(s.active());
}

TEST_CASE("okrs without any OKRs invites the person to draft one") {
  Script s(shipped_catalog());
  CHECK(s.say("okrs").find("Type draft") != std::string::npos);
}

TEST_CASE("a button click with no dialog open says the conversation has ended") {
  Script s = tour_script();
  const auto reply = s.click("summary", "confirm");
  CHECK(reply.find("already ended") != std::string::npos);
  CHECK_FALSE(s.active());
}

TEST_CASE("a stored dialog whose definition is gone is closed and the message handled afresh") {
  Script s = tour_script();
  s.say("tour");
  const DialogInstance saved = s.instance();
  const auto other = catalog_of("other", R"({"name": "other", "version": 1, "start": "e",
      "nodes": [{"id": "e", "kind": "end", "text": "bye"}]})");
  StepResult r =
      handle_turn(other, saved, Inbound{"terminal", "local", "ana", "c1", "hi", {}}, s.context);
  CHECK_FALSE(r.instance);
  REQUIRE(r.messages.size() == 2);
  CHECK(r.messages[0].text.find("no longer available") != std::string::npos);
}

TEST_CASE("help outside a dialog explains the coach and offers short explanations") {
  Script s(shipped_catalog());
  const auto reply = s.say("help");
  CHECK(reply.find("draft") != std::string::npos);
  CHECK(reply.find("what is a key result?") != std::string::npos);
  CHECK(s.say("What is a key result?").find("Two to five per objective") != std::string::npos);
  CHECK(s.say("okr or kpi?").find("health number") != std::string::npos);
}
