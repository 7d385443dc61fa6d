// The Slack channel's inbox record (storage/inbox): the event, its reply address and the
// replies owed at once are written together or not at all.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <catch2/catch.hpp>

#include "storage/database.hpp"
#include "storage/inbox.hpp"
#include "storage/outbox.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;

namespace {

storage::Database fresh_db(const test::TempDir& dir) {
  auto db = storage::Database::open((dir / "inbox.db").string());
  db.migrate();
  return db;
}

dialogs::Inbound command(const std::string& text) {
  return {"slack", "T1", "U1", "slash:U1", text, std::nullopt};
}

storage::OutboxAddress response_url() {
  storage::OutboxAddress address;
  address.platform = "slack";
  address.workspace = "T1";
  address.conversation = "U1";
  address.kind = "response_url";
  address.user = "U1";
  address.target = "https://hooks.example/commands/T1/1/abc";
  return address;
}

storage::OutboxItem pointer() {
  storage::OutboxItem item;
  item.address.platform = "slack";
  item.address.workspace = "T1";
  item.address.conversation = "C1";
  item.address.thread = "1700000000.000100";
  item.message.text = "I've sent you a direct message.";
  return item;
}

int count(storage::Database& db, const std::string& table) {
  SQLite::Statement q(db.handle(), "SELECT COUNT(*) FROM " + table);
  q.executeStep();
  return q.getColumn(0).getInt();
}

}  // namespace

TEST_CASE("an inbound event is kept with its reply address and its immediate replies",
          "[slack][inbox]") {
  test::TempDir dir;
  auto db = fresh_db(dir);
  storage::Inbox inbox(db);
  const auto recorded = inbox.record("command:t1", command("okrs"), dialogs::TimePoint{},
                                     response_url(), {pointer()});
  CHECK_FALSE(recorded.duplicate);
  const auto address = inbox.reply_to(recorded.id);
  REQUIRE(address);
  CHECK(address->kind == "response_url");
  CHECK(address->target == response_url().target);
  CHECK(address->conversation == "U1");
  CHECK(count(db, "outbox") == 1);
  const auto due = storage::Outbox(db).due(dialogs::TimePoint{});
  REQUIRE(due.size() == 1);
  CHECK(due[0].address.thread == "1700000000.000100");

  // A retry of the same event writes nothing more.
  CHECK(
      inbox.record("command:t1", command("okrs"), dialogs::TimePoint{}, response_url(), {pointer()})
          .duplicate);
  CHECK(count(db, "outbox") == 1);
  CHECK(count(db, "inbox_replies") == 1);
}

TEST_CASE("when the immediate reply cannot be written the event is not recorded either",
          "[slack][inbox]") {
  test::TempDir dir;
  auto db = fresh_db(dir);
  db.handle().exec(
      "CREATE TRIGGER no_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'full'); END;");
  storage::Inbox inbox(db);
  CHECK_THROWS_AS(
      inbox.record("Ev1", command("okrs"), dialogs::TimePoint{}, response_url(), {pointer()}),
      storage::StorageError);
  CHECK(count(db, "inbox") == 0);
  CHECK(count(db, "inbox_replies") == 0);
  // Slack delivers the event again (we answered 500); now it goes through.
  db.handle().exec("DROP TRIGGER no_outbox;");
  CHECK_FALSE(
      inbox.record("Ev1", command("okrs"), dialogs::TimePoint{}, response_url(), {pointer()})
          .duplicate);
  CHECK(count(db, "inbox") == 1);
}

TEST_CASE("an entry recorded without an address has none", "[slack][inbox]") {
  test::TempDir dir;
  auto db = fresh_db(dir);
  storage::Inbox inbox(db);
  const auto recorded = inbox.record("Ev2", command("hi"), dialogs::TimePoint{});
  CHECK_FALSE(inbox.reply_to(recorded.id));
}
