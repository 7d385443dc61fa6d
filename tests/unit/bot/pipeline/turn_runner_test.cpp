#include "bot/pipeline/turn_runner.hpp"

#include <SQLiteCpp/Database.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "storage/check_ins.hpp"
#include "storage/database.hpp"
#include "storage/dialog_instances.hpp"
#include "storage/inbox.hpp"
#include "storage/memberships.hpp"
#include "storage/objectives.hpp"
#include "storage/outbox.hpp"
#include "storage/people.hpp"
#include "storage/reflections.hpp"
#include "storage/teams.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;
namespace pipeline = okr::bot::pipeline;

namespace {

// A two-question dialog that ends by saving an objective through the engine's real action.
constexpr const char* kNoteDialog = R"({
  "name": "note", "version": 1, "title": "Note an objective", "help": "Two questions.",
  "start": "what",
  "nodes": [
    {"id": "what", "kind": "ask", "text": "What do you want to achieve?", "variable": "draft.objective", "next": "why"},
    {"id": "why", "kind": "ask", "text": "Why does it matter now?", "variable": "why", "next": "save"},
    {"id": "save", "kind": "action", "action": "save_objective", "next": "done"},
    {"id": "done", "kind": "end", "text": "Noted."}
  ]
})";

dialogs::DialogCatalog note_catalog() {
  auto load = dialogs::parse_definition(kNoteDialog, "note.json");
  REQUIRE(load.definition);
  dialogs::DialogCatalog catalog;
  catalog.dialogs.emplace("note", *load.definition);
  return catalog;
}

dialogs::TimePoint nov_2_2026() {
  using namespace std::chrono;
  return time_point_cast<seconds>(sys_days{year{2026} / November / 2} + hours{9});
}

dialogs::Inbound said(const std::string& text) {
  dialogs::Inbound m;
  m.platform = "terminal";
  m.workspace = "local";
  m.user = "ada";
  m.conversation = "terminal";
  m.text = text;
  return m;
}

std::string all_text(const std::vector<dialogs::Outbound>& messages) {
  std::string out;
  for (const auto& m : messages)
    out += m.text + "\n";
  return out;
}

struct Fixture {
  test::TempDir dir;
  storage::Database db = open(dir);
  dialogs::DialogCatalog catalog = note_catalog();

  static storage::Database open(const test::TempDir& dir) {
    auto db = storage::Database::open((dir / "okr.db").string());
    db.migrate();
    return db;
  }
  pipeline::TurnRunner runner() { return pipeline::TurnRunner(db, catalog, nov_2_2026); }
  dialogs::Person ada() { return *storage::People(db).find("terminal", "local", "ada"); }
};

}  // namespace

TEST_CASE("each turn saves the dialog's position and the last one saves the objective",
          "[pipeline]") {
  Fixture f;
  {
    auto runner = f.runner();
    CHECK_THAT(all_text(runner.run(said("note"))), Catch::Contains("What do you want to achieve?"));
    const auto stored = storage::DialogInstances(f.db).active(f.ada().id, "terminal");
    REQUIRE(stored);
    CHECK(stored->dialog == "note");
    CHECK(stored->updated_at == nov_2_2026());
  }
  // A new runner (as after a restart) continues from the stored state.
  auto runner = f.runner();
  CHECK_THAT(all_text(runner.run(said("Calm, boring releases"))),
             Catch::Contains("Why does it matter now?"));
  CHECK_THAT(all_text(runner.run(said("Outages cost us weekends"))), Catch::Contains("Noted."));

  const auto context = runner.load_context(said(""), nov_2_2026());
  REQUIRE(context.cycle);
  CHECK(context.cycle->label == "2026-Q4");  // from the injected clock
  REQUIRE(context.objectives.size() == 1);
  CHECK(context.objectives[0].text == "Calm, boring releases");
  CHECK(context.objectives[0].why == "Outages cost us weekends");
  CHECK(context.objectives[0].created_at == nov_2_2026());
  CHECK_FALSE(storage::DialogInstances(f.db).active(f.ada().id, "terminal").has_value());
}

TEST_CASE("a turn that cannot be saved says nothing and keeps the earlier position", "[pipeline]") {
  Fixture f;
  auto runner = f.runner();
  runner.run(said("note"));
  runner.run(said("Calm, boring releases"));
  f.db.handle().exec(
      "CREATE TRIGGER refuse_objectives BEFORE INSERT ON objectives "
      "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");

  CHECK_THROWS_AS(runner.run(said("Outages cost us weekends")), storage::StorageError);
  const auto stored = storage::DialogInstances(f.db).active(f.ada().id, "terminal");
  REQUIRE(stored);
  CHECK_THAT(stored->state, Catch::Contains("\"why\""));  // still waiting at the second question

  f.db.handle().exec("DROP TRIGGER refuse_objectives");
  CHECK_THAT(all_text(runner.run(said("Outages cost us weekends"))), Catch::Contains("Noted."));
  CHECK(runner.load_context(said(""), nov_2_2026()).objectives.size() == 1);
}

TEST_CASE("the context carries the person's team, roles, settings, check-ins and last reflection",
          "[pipeline]") {
  Fixture f;
  auto runner = f.runner();
  const auto bare = runner.load_context(said("hi"), nov_2_2026());
  CHECK(bare.person.user_ref == "ada");
  CHECK_FALSE(bare.team.has_value());
  CHECK(bare.roles.empty());

  storage::Teams teams(f.db);
  storage::Memberships memberships(f.db);
  const auto first = teams.find_or_create("Alpha");
  const auto second = teams.find_or_create("Beta");
  dialogs::ProgramSettings beta;
  beta.max_objectives = 1;
  teams.save_settings(second.id, beta);
  memberships.join(first.id, bare.person.id);
  memberships.join(second.id, bare.person.id);
  memberships.grant(second.id, bare.person.id, dialogs::Role::manager);

  CHECK(runner.load_context(said("hi"), nov_2_2026()).team->name == "Alpha");  // the first team
  runner.prefer_team("Beta");
  auto context = runner.load_context(said("hi"), nov_2_2026());
  REQUIRE(context.team);
  CHECK(context.team->name == "Beta");
  CHECK(context.settings.max_objectives == 1);
  CHECK(std::count(context.roles.begin(), context.roles.end(), dialogs::Role::manager) == 1);

  dialogs::Objective o;
  o.person_id = context.person.id;
  o.team_id = second.id;
  o.cycle_id = context.cycle->id;
  o.text = "Calm releases";
  dialogs::KeyResult kr;
  kr.text = "Deploy daily";
  o.key_results = {kr};
  const auto saved = storage::Objectives(f.db).add(o);
  dialogs::CheckIn c;
  c.key_result_id = saved.key_results[0].id;
  c.person_id = context.person.id;
  c.value = 4;
  c.confidence = 6;
  c.at = nov_2_2026();
  storage::CheckIns(f.db).record(c);
  dialogs::Reflection r;
  r.person_id = context.person.id;
  r.stop_habit = "Friday deploys";
  r.at = nov_2_2026();
  storage::Reflections(f.db).add(r);

  context = runner.load_context(said("hi"), nov_2_2026());
  REQUIRE(context.objectives.size() == 1);
  REQUIRE(context.latest_checkins.count(saved.key_results[0].id) == 1);
  CHECK(context.latest_checkins.at(saved.key_results[0].id).value == Approx(4));
  REQUIRE(context.last_reflection);
  CHECK(context.last_reflection->stop_habit == "Friday deploys");
}

TEST_CASE("a delivered turn queues its replies to the given address and marks its inbox entry done",
          "[pipeline]") {
  Fixture f;
  auto runner = f.runner();
  const auto message = said("note");
  const auto inbox_id = storage::Inbox(f.db).record("Ev1", message, nov_2_2026()).id;
  pipeline::Delivery delivery;
  delivery.inbox_id = inbox_id;
  delivery.reply_to = {"slack", "T1", "D1", "post", "", "", ""};

  const auto replies = runner.run(message, delivery);

  REQUIRE_FALSE(replies.empty());
  storage::Outbox outbox(f.db);
  const auto due = outbox.due(nov_2_2026(), 100);
  REQUIRE(due.size() == 1);  // one conversation: only its first reply is due yet
  CHECK(outbox.depth() == replies.size());
  CHECK(due[0].address.platform == "slack");
  CHECK(due[0].address.conversation == "D1");
  CHECK(due[0].message.text == replies[0].text);
  CHECK(due[0].created_at == nov_2_2026());
  CHECK(storage::Inbox(f.db).find(inbox_id)->status == storage::InboxStatus::done);
}

TEST_CASE("a plain turn (the terminal chat) queues nothing", "[pipeline]") {
  Fixture f;
  auto runner = f.runner();
  CHECK_FALSE(runner.run(said("note")).empty());
  CHECK(storage::Outbox(f.db).depth() == 0);
}

namespace {

// A command that writes through a repository, so the tests can see its write commit or roll
// back with the turn.
pipeline::CommandTable naming_commands(std::string* seen_arguments) {
  pipeline::CommandTable table;
  table.add("Rename", [seen_arguments](const pipeline::CommandCall& call) {
    *seen_arguments = call.arguments;
    storage::People(call.db).update_profile(call.context.person.id, call.arguments, "UTC");
    if (call.arguments == "fail")
      throw std::runtime_error("refused");
    dialogs::Outbound reply;
    reply.text = "Renamed to " + call.arguments;
    return std::vector<dialogs::Outbound>{reply};
  });
  return table;
}

}  // namespace

TEST_CASE("an office command answers outside any dialog, with its arguments trimmed",
          "[pipeline]") {
  Fixture f;
  auto runner = f.runner();
  std::string arguments;
  runner.use_commands(naming_commands(&arguments));

  const auto replies = runner.run(said("  rename   Ada L.  "));

  CHECK(arguments == "Ada L.");
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].text == "Renamed to Ada L.");
  CHECK(f.ada().display_name == "Ada L.");
}

TEST_CASE("an office command word typed as the answer to an open question is an answer",
          "[pipeline]") {
  Fixture f;
  auto runner = f.runner();
  std::string arguments;
  runner.use_commands(naming_commands(&arguments));
  runner.run(said("note"));

  runner.run(said("rename the team"));  // answers "What do you want to achieve?"

  CHECK(arguments.empty());
  const auto active = storage::DialogInstances(f.db).active(f.ada().id, "terminal");
  REQUIRE(active);
  CHECK(active->state.find("rename the team") != std::string::npos);
}

TEST_CASE("a delivered command queues its replies, its writes and the inbox completion together",
          "[pipeline]") {
  Fixture f;
  auto runner = f.runner();
  std::string arguments;
  runner.use_commands(naming_commands(&arguments));
  pipeline::Delivery delivery;
  delivery.reply_to = {"slack", "T1", "slash:ada", "response_url", "", "", ""};

  SECTION("success") {
    const auto message = said("rename Grace");
    delivery.inbox_id = storage::Inbox(f.db).record("Ev1", message, nov_2_2026()).id;
    runner.run(message, delivery);
    CHECK(storage::Outbox(f.db).depth() == 1);
    CHECK(storage::Inbox(f.db).find(*delivery.inbox_id)->status == storage::InboxStatus::done);
    CHECK(f.ada().display_name == "Grace");
  }
  SECTION("a failing command keeps nothing and leaves the entry pending") {
    runner.run(said("rename Before"));
    const auto message = said("rename fail");
    delivery.inbox_id = storage::Inbox(f.db).record("Ev2", message, nov_2_2026()).id;
    CHECK_THROWS(runner.run(message, delivery));
    CHECK(storage::Outbox(f.db).depth() == 0);
    CHECK(storage::Inbox(f.db).find(*delivery.inbox_id)->status == storage::InboxStatus::pending);
    CHECK(f.ada().display_name == "Before");
  }
}

TEST_CASE("a committed office command tells the schedules hook, a failed one or a dialog turn does not",
          "[pipeline]") {
  Fixture f;
  auto runner = f.runner();
  std::string arguments;
  runner.use_commands(naming_commands(&arguments));
  int calls = 0;
  runner.on_commands_committed([&calls] { ++calls; });

  SECTION("committed") {
    runner.run(said("rename Grace"));
    CHECK(calls == 1);
  }
  SECTION("rolled back") {
    CHECK_THROWS(runner.run(said("rename fail")));
    CHECK(calls == 0);
  }
  SECTION("a dialog turn") {
    runner.run(said("note"));
    CHECK(calls == 0);
  }
}
