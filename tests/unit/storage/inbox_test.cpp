#include <catch2/catch.hpp>

#include "storage/inbox.hpp"
#include "temp_store.hpp"

using namespace okr;
using okr::storage::testing::at_utc;
using okr::storage::testing::TempStore;

namespace {

dialogs::Inbound slack_dm(const std::string& conversation, const std::string& text) {
  return {"slack", "T1", "U1", conversation, text, std::nullopt};
}

}  // namespace

TEST_CASE("a retried event_id is acknowledged and not processed twice", "[storage][inbox]") {
  TempStore store;
  storage::Inbox inbox(store.db());
  const auto first = inbox.record("Ev1", slack_dm("D1", "hello"), at_utc(2026, 11, 2));
  CHECK_FALSE(first.duplicate);
  const auto again = inbox.record("Ev1", slack_dm("D1", "hello"), at_utc(2026, 11, 2, 13));
  CHECK(again.duplicate);
  CHECK(again.id == first.id);
  CHECK(inbox.pending().size() == 1);

  // The same event id from another workspace or platform is a different event.
  auto other_workspace = slack_dm("D1", "hello");
  other_workspace.workspace = "T2";
  CHECK_FALSE(inbox.record("Ev1", other_workspace, at_utc(2026, 11, 2)).duplicate);
  auto other_platform = slack_dm("D1", "hello");
  other_platform.platform = "teams";
  CHECK_FALSE(inbox.record("Ev1", other_platform, at_utc(2026, 11, 2)).duplicate);
  CHECK(inbox.pending_count() == 3);
}

TEST_CASE("the inbox keeps the neutral message and its arrival time", "[storage][inbox]") {
  TempStore store;
  auto clicked = slack_dm("D9", "");
  clicked.action = dialogs::Action{"ask_confidence", "7"};
  const auto id = storage::Inbox(store.db()).record("Ev7", clicked, at_utc(2026, 11, 3)).id;
  store.reopen();
  const auto entry = storage::Inbox(store.db()).find(id);
  REQUIRE(entry);
  CHECK(entry->event_key == "Ev7");
  CHECK(entry->message.platform == "slack");
  CHECK(entry->message.conversation == "D9");
  REQUIRE(entry->message.action);
  CHECK(entry->message.action->value == "7");
  CHECK(entry->received_at == at_utc(2026, 11, 3));
  CHECK(entry->status == storage::InboxStatus::pending);
}

TEST_CASE("a message and its reply address read back exactly, whatever characters they hold",
          "[storage][inbox]") {
  TempStore store;
  auto said = slack_dm("D\"1", "Line one\nline \"two\" \\ tab\t, Grüße 🎯, ctrl \x01");
  said.action = dialogs::Action{"summary", "edit \"this\""};
  const storage::OutboxAddress reply_to{.platform = "slack",
                                        .workspace = "T1",
                                        .conversation = "U1",
                                        .kind = "response_url",
                                        .user = "U1",
                                        .target = "https://hooks.slack.test/commands/T1/1?x=\"y\"",
                                        .thread = "1700000000.000100"};
  const auto id =
      storage::Inbox(store.db()).record("Ev\\8", said, at_utc(2026, 11, 3), reply_to, {}).id;
  store.reopen();
  storage::Inbox inbox(store.db());
  const auto entry = inbox.find(id);
  REQUIRE(entry);
  CHECK(entry->event_key == "Ev\\8");
  CHECK(entry->message.conversation == said.conversation);
  CHECK(entry->message.text == said.text);
  REQUIRE(entry->message.action);
  CHECK(entry->message.action->id == "summary");
  CHECK(entry->message.action->value == said.action->value);
  const auto address = inbox.reply_to(id);
  REQUIRE(address);
  CHECK(address->kind == "response_url");
  CHECK(address->target == reply_to.target);
  CHECK(address->thread == reply_to.thread);
  CHECK(address->user == "U1");
}

TEST_CASE("text that is not valid UTF-8 is stored with U+FFFD in place of the bad bytes",
          "[storage][inbox]") {
  TempStore store;
  const auto id = storage::Inbox(store.db())
                      .record("Ev9", slack_dm("D1", "caf\xe9 ok"), at_utc(2026, 11, 3))
                      .id;
  const auto entry = storage::Inbox(store.db()).find(id);
  REQUIRE(entry);  // readable: the turn can run, nothing is lost
  CHECK(entry->message.text == "caf\xEF\xBF\xBD ok");
}

TEST_CASE("after a restart the unfinished events are listed in arrival order", "[storage][inbox]") {
  TempStore store;
  {
    storage::Inbox inbox(store.db());
    const auto a1 = inbox.record("E1", slack_dm("A", "one"), at_utc(2026, 11, 2)).id;
    inbox.record("E2", slack_dm("B", "first of B"), at_utc(2026, 11, 2));
    inbox.record("E3", slack_dm("A", "two"), at_utc(2026, 11, 2));
    const auto b2 = inbox.record("E4", slack_dm("B", "second of B"), at_utc(2026, 11, 2)).id;
    inbox.record("E5", slack_dm("A", "three"), at_utc(2026, 11, 2));
    inbox.mark_done(a1);
    inbox.record_failure(b2, "engine threw", true);
  }
  store.reopen();
  storage::Inbox inbox(store.db());
  const auto pending = inbox.pending();
  REQUIRE(pending.size() == 3);
  CHECK(pending[0].message.text == "first of B");
  CHECK(pending[1].message.text == "two");
  CHECK(pending[2].message.text == "three");
  CHECK(pending[0].id < pending[1].id);
  CHECK(pending[1].id < pending[2].id);
}

TEST_CASE("a failure that is not given up on keeps the event pending and counts it",
          "[storage][inbox]") {
  TempStore store;
  storage::Inbox inbox(store.db());
  const auto id = inbox.record("E1", slack_dm("A", "one"), at_utc(2026, 11, 2)).id;
  inbox.record_failure(id, "database is locked", false);
  auto entry = inbox.find(id);
  CHECK(entry->status == storage::InboxStatus::pending);
  CHECK(entry->attempts == 1);
  CHECK(entry->last_error == "database is locked");
  inbox.record_failure(id, "still locked", true);
  entry = inbox.find(id);
  CHECK(entry->status == storage::InboxStatus::failed);
  CHECK(entry->attempts == 2);
  CHECK(inbox.pending().empty());
}

TEST_CASE("marking an unknown inbox entry done is an error", "[storage][inbox]") {
  TempStore store;
  CHECK_THROWS_AS(storage::Inbox(store.db()).mark_done(42), storage::StorageError);
}

TEST_CASE("old finished inbox entries are pruned and unfinished ones kept", "[storage][inbox]") {
  TempStore store;
  storage::Inbox inbox(store.db());
  const auto old_done = inbox.record("E1", slack_dm("A", "1"), at_utc(2026, 10, 1)).id;
  inbox.record("E2", slack_dm("A", "2"), at_utc(2026, 10, 1));  // still pending
  const auto new_done = inbox.record("E3", slack_dm("A", "3"), at_utc(2026, 11, 2)).id;
  inbox.mark_done(old_done);
  inbox.mark_done(new_done);
  CHECK(inbox.forget_done_before(at_utc(2026, 11, 1)) == 1);
  CHECK_FALSE(inbox.find(old_done));
  CHECK(inbox.find(new_done));
  CHECK(inbox.pending().size() == 1);
  // Within the kept window a retry is still recognised.
  CHECK(inbox.record("E3", slack_dm("A", "3"), at_utc(2026, 11, 2)).duplicate);
}
