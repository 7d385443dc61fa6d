#include <catch2/catch.hpp>

#include "storage/check_ins.hpp"
#include "storage/cycles.hpp"
#include "storage/dialog_instances.hpp"
#include "storage/inbox.hpp"
#include "storage/objectives.hpp"
#include "storage/people.hpp"
#include "storage/reflections.hpp"
#include "storage/teams.hpp"
#include "storage/turn_commit.hpp"
#include "temp_store.hpp"

using namespace okr;
using okr::storage::testing::at_utc;
using okr::storage::testing::TempStore;
using okr::storage::testing::terminal_person;

namespace {

storage::StoredDialog draft_at(const std::string& node, dialogs::TimePoint at) {
  return {"draft", 3, R"({"node":")" + node + R"("})", at};
}

dialogs::Objective small_objective(dialogs::Id cycle_id) {
  dialogs::Objective o;
  o.cycle_id = cycle_id;
  o.text = "Releases are boring";
  o.created_at = at_utc(2026, 11, 2);
  dialogs::KeyResult kr;
  kr.text = "Deploy daily";
  kr.baseline = 1;
  kr.target = 5;
  o.key_results = {kr};
  return o;
}

}  // namespace

TEST_CASE("a dialog instance is one per person and conversation and survives reopening",
          "[storage][dialogs]") {
  TempStore store;
  const auto ada = storage::People(store.db()).find_or_create(terminal_person("ada"));
  {
    storage::DialogInstances instances(store.db());
    CHECK_FALSE(instances.active(ada.id, "terminal").has_value());
    instances.save(ada.id, "terminal", draft_at("ask_what", at_utc(2026, 11, 2)));
    instances.save(ada.id, "terminal", draft_at("ask_why", at_utc(2026, 11, 3)));
    instances.save(ada.id, "other", {"checkin", 1, "{}", at_utc(2026, 11, 3)});
  }
  store.reopen();
  storage::DialogInstances instances(store.db());
  const auto active = instances.active(ada.id, "terminal");
  REQUIRE(active);
  CHECK(active->dialog == "draft");
  CHECK(active->definition_version == 3);
  CHECK(active->state == R"({"node":"ask_why"})");
  CHECK(active->updated_at == at_utc(2026, 11, 3));
  CHECK(instances.active(ada.id, "other")->dialog == "checkin");
  instances.finish(ada.id, "terminal");
  CHECK_FALSE(instances.active(ada.id, "terminal").has_value());
  CHECK(instances.active(ada.id, "other").has_value());
}

TEST_CASE("a turn saves the dialog state and every effect together", "[storage][turn]") {
  TempStore store;
  const auto ada = storage::People(store.db()).find_or_create(terminal_person("ada"));
  const auto team = storage::Teams(store.db()).find_or_create("Platform");
  const auto cycle =
      storage::Cycles(store.db()).current(team.id, team.settings, at_utc(2026, 11, 2));

  storage::TurnRecord turn;
  turn.person_id = ada.id;
  turn.conversation = "terminal";
  turn.dialog = draft_at("ask_what", at_utc(2026, 11, 2));
  turn.effects.push_back(dialogs::SaveObjective{small_objective(cycle.id)});
  dialogs::ProgramSettings settings;
  settings.max_objectives = 1;
  turn.effects.push_back(dialogs::SaveTeamSettings{team.id, settings});
  const auto result = storage::commit_turn(store.db(), turn);
  REQUIRE(result.objectives.size() == 1);
  CHECK(result.objectives[0].person_id == ada.id);  // filled from the turn

  storage::TurnRecord checkin;
  checkin.person_id = ada.id;
  checkin.conversation = "terminal";
  dialogs::CheckIn c;
  c.key_result_id = result.objectives[0].key_results[0].id;
  c.value = 3;
  c.confidence = 6;
  c.at = at_utc(2026, 11, 9);
  checkin.effects.push_back(dialogs::SaveCheckIns{{c}});
  dialogs::Reflection r;
  r.carry_forward = "Keep deploying daily";
  r.at = at_utc(2026, 11, 9);
  checkin.effects.push_back(dialogs::SaveReflection{r});
  storage::commit_turn(store.db(), checkin);  // no dialog: the stored one ends

  store.reopen();
  CHECK_FALSE(storage::DialogInstances(store.db()).active(ada.id, "terminal").has_value());
  CHECK(storage::Objectives(store.db()).of_person(ada.id, cycle.id).size() == 1);
  CHECK(storage::Teams(store.db()).by_id(team.id)->settings.max_objectives == 1);
  CHECK(storage::Objectives(store.db()).key_result(c.key_result_id)->current == Approx(3));
  CHECK(storage::Reflections(store.db()).latest(ada.id)->carry_forward == "Keep deploying daily");
}

TEST_CASE("a turn that fails half-way leaves nothing behind", "[storage][turn]") {
  TempStore store;
  const auto ada = storage::People(store.db()).find_or_create(terminal_person("ada"));
  const auto cycle = storage::Cycles(store.db()).current(0, {}, at_utc(2026, 11, 2));
  storage::DialogInstances(store.db())
      .save(ada.id, "terminal", draft_at("ask_what", at_utc(2026, 11, 1)));

  storage::TurnRecord turn;
  turn.person_id = ada.id;
  turn.conversation = "terminal";
  turn.dialog = draft_at("ask_checkin_focus", at_utc(2026, 11, 2));
  turn.effects.push_back(dialogs::SaveObjective{small_objective(cycle.id)});
  dialogs::CheckIn impossible;  // refers to no key result: a foreign-key violation mid-turn
  impossible.key_result_id = 987654;
  impossible.value = 1;
  turn.effects.push_back(dialogs::SaveCheckIns{{impossible}});
  dialogs::Reflection never;
  never.learned = "must not be stored";
  turn.effects.push_back(dialogs::SaveReflection{never});

  try {
    storage::commit_turn(store.db(), turn);
    FAIL("expected the turn to fail");
  } catch (const storage::StorageError& e) {
    CHECK(e.code() == storage::StorageError::Code::conflict);
    CHECK_THAT(e.what(), Catch::Contains("key result 987654"));
  }

  CHECK(storage::Objectives(store.db()).of_person(ada.id, cycle.id).empty());
  CHECK_FALSE(storage::Reflections(store.db()).latest(ada.id).has_value());
  const auto kept = storage::DialogInstances(store.db()).active(ada.id, "terminal");
  REQUIRE(kept);
  CHECK(kept->state == R"({"node":"ask_what"})");  // the state before the failed turn

  // The connection is usable again right away: the failed turn left no open transaction.
  turn.effects.erase(turn.effects.begin() + 1);
  storage::commit_turn(store.db(), turn);
  CHECK(storage::Objectives(store.db()).of_person(ada.id, cycle.id).size() == 1);
}

TEST_CASE("a turn queues its replies and marks its inbox entry done in the same transaction",
          "[storage][turn]") {
  TempStore store;
  const auto ada = storage::People(store.db()).find_or_create(terminal_person("ada"));
  const auto inbox_id =
      storage::Inbox(store.db())
          .record("Ev1", {"slack", "T1", "U1", "D1", "hi", std::nullopt}, at_utc(2026, 11, 2))
          .id;

  storage::TurnRecord turn;
  turn.person_id = ada.id;
  turn.conversation = "D1";
  turn.dialog = draft_at("ask_what", at_utc(2026, 11, 2));
  turn.inbox_id = inbox_id;
  turn.at = at_utc(2026, 11, 2);
  for (const std::string text : {"Hi Ada", "What would you like to achieve?"}) {
    storage::OutboxItem item;
    item.address = {"slack", "T1", "D1", "post", "", "", ""};
    item.message.text = text;
    turn.outbox.push_back(item);
  }
  const auto result = storage::commit_turn(store.db(), turn);

  REQUIRE(result.outbox_ids.size() == 2);
  storage::Outbox outbox(store.db());
  CHECK(outbox.find(result.outbox_ids[0])->message.text == "Hi Ada");
  CHECK(outbox.find(result.outbox_ids[1])->message.text == "What would you like to achieve?");
  CHECK(outbox.depth() == 2);
  CHECK(storage::Inbox(store.db()).find(inbox_id)->status == storage::InboxStatus::done);
}

TEST_CASE("a failing turn queues no replies and leaves its inbox entry pending",
          "[storage][turn]") {
  TempStore store;
  const auto ada = storage::People(store.db()).find_or_create(terminal_person("ada"));
  const auto cycle = storage::Cycles(store.db()).current(0, {}, at_utc(2026, 11, 2));
  const auto inbox_id =
      storage::Inbox(store.db())
          .record("Ev1", {"slack", "T1", "U1", "D1", "hi", std::nullopt}, at_utc(2026, 11, 2))
          .id;

  storage::TurnRecord turn;
  turn.person_id = ada.id;
  turn.conversation = "D1";
  turn.inbox_id = inbox_id;
  turn.at = at_utc(2026, 11, 2);
  storage::OutboxItem reply;
  reply.address = {"slack", "T1", "D1", "post", "", "", ""};
  reply.message.text = "Saved!";
  turn.outbox.push_back(reply);

  SECTION("an effect fails") {
    turn.effects.push_back(dialogs::SaveObjective{small_objective(cycle.id)});
    dialogs::CheckIn impossible;
    impossible.key_result_id = 987654;
    turn.effects.push_back(dialogs::SaveCheckIns{{impossible}});
    CHECK_THROWS_AS(storage::commit_turn(store.db(), turn), storage::StorageError);
    CHECK(storage::Inbox(store.db()).find(inbox_id)->status == storage::InboxStatus::pending);
  }
  SECTION("marking the inbox entry fails after the replies were written") {
    turn.effects.push_back(dialogs::SaveObjective{small_objective(cycle.id)});
    turn.inbox_id = inbox_id + 1000;  // no such entry
    CHECK_THROWS_AS(storage::commit_turn(store.db(), turn), storage::StorageError);
  }
  CHECK(storage::Outbox(store.db()).depth() == 0);
  CHECK(storage::Objectives(store.db()).of_person(ada.id, cycle.id).empty());
}

TEST_CASE("replies outside a dialog turn are queued together with the inbox entry's completion",
          "[storage][turn]") {
  TempStore store;
  const auto inbox_id =
      storage::Inbox(store.db())
          .record("Ev9", {"slack", "T1", "U1", "D1", "", std::nullopt}, at_utc(2026, 11, 2))
          .id;
  storage::OutboxItem home;
  home.address = {"slack", "T1", "U1", "view_publish", "U1", "", ""};
  home.message.text = "Your OKRs";

  CHECK_THROWS_AS(storage::commit_replies(store.db(), inbox_id + 1, {home}, at_utc(2026, 11, 2)),
                  storage::StorageError);
  CHECK(storage::Outbox(store.db()).depth() == 0);

  const auto ids = storage::commit_replies(store.db(), inbox_id, {home}, at_utc(2026, 11, 2));
  REQUIRE(ids.size() == 1);
  CHECK(storage::Outbox(store.db()).find(ids[0])->address.kind == "view_publish");
  CHECK(storage::Inbox(store.db()).find(inbox_id)->status == storage::InboxStatus::done);
}
