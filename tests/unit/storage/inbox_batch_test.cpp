#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "storage/database.hpp"
#include "storage/inbox.hpp"
#include "storage/inbox_batch.hpp"
#include "storage/outbox.hpp"
#include "temp_store.hpp"

using namespace okr;
using okr::storage::testing::at_utc;
using okr::storage::testing::TempStore;

namespace {

dialogs::Inbound dm(const std::string& conversation, const std::string& text) {
  return {"slack", "T1", "U1", conversation, text, std::nullopt};
}

storage::OutboxAddress reply_to(const std::string& conversation) {
  storage::OutboxAddress address;
  address.platform = "slack";
  address.workspace = "T1";
  address.conversation = conversation;
  return address;
}

storage::InboxRecord record(storage::Database& db, const std::string& key,
                            const std::string& conversation) {
  return storage::Inbox(db).record(key, dm(conversation, "hi"), at_utc(2026, 11, 30, 9),
                                   reply_to(conversation), {});
}

}  // namespace

TEST_CASE("a committed batch stores every arrival in it, each with its reply address",
          "[storage][inbox][batch]") {
  TempStore store;
  storage::InboxRecord a, b;
  {
    storage::InboxBatch batch(store.db());
    a = batch.arrival([&] { return record(store.db(), "Ev1", "D1"); });
    b = batch.arrival([&] { return record(store.db(), "Ev2", "D2"); });
    batch.commit();
  }
  store.reopen();
  storage::Inbox inbox(store.db());
  CHECK(inbox.pending_count() == 2);
  CHECK_FALSE(a.duplicate);
  CHECK_FALSE(b.duplicate);
  REQUIRE(inbox.reply_to(b.id));
  CHECK(inbox.reply_to(b.id)->conversation == "D2");
}

TEST_CASE("a batch that is not committed stores none of its arrivals", "[storage][inbox][batch]") {
  TempStore store;
  {
    storage::InboxBatch batch(store.db());
    batch.arrival([&] { return record(store.db(), "Ev1", "D1"); });
    batch.arrival([&] { return record(store.db(), "Ev2", "D2"); });
    // destroyed without commit(): a crash or a failed write before the commit
  }
  store.reopen();
  storage::Inbox inbox(store.db());
  CHECK(inbox.pending_count() == 0);
  // Nothing was acknowledged, so the platform delivers both again: they are new, not duplicates.
  CHECK_FALSE(inbox.record("Ev1", dm("D1", "hi"), at_utc(2026, 11, 30, 9)).duplicate);
}

TEST_CASE("the same event twice in one batch is stored once and the second is a duplicate",
          "[storage][inbox][batch]") {
  TempStore store;
  storage::InboxRecord first, second;
  {
    storage::InboxBatch batch(store.db());
    first = batch.arrival([&] { return record(store.db(), "Ev1", "D1"); });
    second = batch.arrival([&] { return record(store.db(), "Ev1", "D1"); });
    batch.commit();
  }
  CHECK_FALSE(first.duplicate);
  CHECK(second.duplicate);
  CHECK(second.id == first.id);
  CHECK(storage::Inbox(store.db()).pending_count() == 1);
}

TEST_CASE("an arrival that fails is undone alone and the rest of its batch commits",
          "[storage][inbox][batch]") {
  TempStore store;
  {
    storage::InboxBatch batch(store.db());
    batch.arrival([&] { return record(store.db(), "Ev1", "D1"); });
    // Its inbox row is written, then something after it fails (a hook, a constraint).
    CHECK_THROWS_AS(batch.arrival([&] {
                      record(store.db(), "Ev2", "D2");
                      throw std::runtime_error("the hook failed");
                    }),
                    std::runtime_error);
    batch.arrival([&] { return record(store.db(), "Ev3", "D3"); });
    batch.commit();
  }
  storage::Inbox inbox(store.db());
  const auto pending = inbox.pending();
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].event_key == "Ev1");
  CHECK(pending[1].event_key == "Ev3");
  // The failed one was refused, so its redelivery is new.
  CHECK_FALSE(inbox.record("Ev2", dm("D2", "hi"), at_utc(2026, 11, 30, 9)).duplicate);
}

TEST_CASE("the immediate messages of a batch's arrivals commit with it",
          "[storage][inbox][batch]") {
  TempStore store;
  storage::OutboxItem greeting;
  greeting.address = reply_to("D1");
  greeting.message.text = "Welcome!";
  {
    storage::InboxBatch batch(store.db());
    batch.arrival([&] {
      return storage::Inbox(store.db()).record("Ev1", dm("D1", "hi"), at_utc(2026, 11, 30, 9),
                                               reply_to("D1"), {greeting});
    });
  }  // rolled back
  CHECK(storage::Outbox(store.db()).due(at_utc(2026, 12, 1), 10).empty());
  {
    storage::InboxBatch batch(store.db());
    batch.arrival([&] {
      return storage::Inbox(store.db()).record("Ev1", dm("D1", "hi"), at_utc(2026, 11, 30, 9),
                                               reply_to("D1"), {greeting});
    });
    batch.commit();
  }
  CHECK(storage::Outbox(store.db()).due(at_utc(2026, 12, 1), 10).size() == 1);
}

TEST_CASE("a batch waits for another connection's write and then goes on",
          "[storage][inbox][batch]") {
  TempStore store;
  auto other = storage::Database::open(store.file());
  storage::wait_for_writers_promptly(store.db());
  other.handle().exec("BEGIN IMMEDIATE");  // a turn's transaction holds the write lock
  std::thread turn([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    other.handle().exec("COMMIT");
  });
  {
    storage::InboxBatch batch(store.db());  // waits until the turn committed
    batch.arrival([&] { return record(store.db(), "Ev1", "D1"); });
    batch.commit();
  }
  turn.join();
  CHECK(storage::Inbox(store.db()).pending_count() == 1);
}

TEST_CASE("a batch that cannot get the write lock in time fails instead of waiting on",
          "[storage][inbox][batch]") {
  TempStore store;
  auto other = storage::Database::open(store.file());
  storage::wait_for_writers_promptly(store.db(), 5);
  other.handle().exec("BEGIN IMMEDIATE");
  CHECK_THROWS_AS(storage::InboxBatch(store.db()), storage::StorageError);
  other.handle().exec("ROLLBACK");
  storage::InboxBatch batch(store.db());  // free again
  batch.commit();
}
