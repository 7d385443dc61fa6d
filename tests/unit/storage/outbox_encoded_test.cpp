// A message encoded once (encode_message) and shared by many outbox items must be stored exactly
// as if each item's message had been encoded on enqueue, and as rows were written before.
#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "dialogs/message_json.hpp"
#include "storage/outbox.hpp"
#include "temp_store.hpp"

using namespace okr;
using okr::storage::testing::at_utc;
using okr::storage::testing::TempStore;

namespace {

storage::OutboxItem addressed(const std::string& user) {
  storage::OutboxItem item;
  item.address.platform = "slack";
  item.address.workspace = "T1";
  item.address.conversation = user;
  item.address.user = user;
  item.address.target = "https://hooks.example/\"quoted\"";
  item.address.thread = "1700000000.000001";
  item.platform_payload = "{\"blocks\":[]}";
  item.message.text = "Time for your weekly check-in \xE2\x80\x94 \"how did it go?\"\nReply below.";
  item.message.question = dialogs::Question{"ask_ready", {{"yes", "Yes", 1, {"y"}}}};
  return item;
}

std::string payload_of(storage::Database& db, dialogs::Id id) {
  SQLite::Statement q(db.handle(), "SELECT payload FROM outbox WHERE id = ?");
  q.bind(1, id);
  REQUIRE(q.executeStep());
  return q.getColumn(0).getString();
}

// How rows were encoded before messages could be shared: one JSON object built and dumped.
std::string encoded_as_before(const storage::OutboxItem& item) {
  nlohmann::json j;
  j["message"] = item.message;
  j["user"] = item.address.user;
  j["target"] = item.address.target;
  j["thread"] = item.address.thread;
  j["platform_payload"] = item.platform_payload;
  return j.dump();
}

}  // namespace

TEST_CASE("a row queued with a shared encoded message stores the payload an unshared one does",
          "[storage][outbox]") {
  TempStore store;
  storage::Outbox outbox(store.db());
  const auto plain = addressed("U1");
  auto shared = addressed("U1");
  shared.encoded_message = storage::encode_message(shared.message);

  const auto plain_id = outbox.enqueue(plain, at_utc(2026, 11, 30, 9));
  const auto shared_id = outbox.enqueue(shared, at_utc(2026, 11, 30, 9));

  CHECK(payload_of(store.db(), shared_id) == payload_of(store.db(), plain_id));
  CHECK(payload_of(store.db(), plain_id) == encoded_as_before(plain));
}

TEST_CASE("items sharing one encoded message each keep their own recipient", "[storage][outbox]") {
  TempStore store;
  storage::Outbox outbox(store.db());
  const auto encoded = storage::encode_message(addressed("U1").message);
  std::vector<dialogs::Id> ids;
  for (const char* user : {"U1", "U2", "U3"}) {
    auto item = addressed(user);
    item.address.target.clear();
    item.encoded_message = encoded;
    ids.push_back(outbox.enqueue(item, at_utc(2026, 11, 30, 9)));
  }
  store.reopen();
  storage::Outbox reopened(store.db());
  const char* users[] = {"U1", "U2", "U3"};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto row = reopened.find(ids[i]);
    REQUIRE(row);
    CHECK(row->address.user == users[i]);
    CHECK(row->address.conversation == users[i]);
    CHECK(row->address.target.empty());
    CHECK(row->address.thread == "1700000000.000001");
    CHECK(row->platform_payload == "{\"blocks\":[]}");
    CHECK(row->message.text == addressed("U1").message.text);
    REQUIRE(row->message.question);
    CHECK(row->message.question->id == "ask_ready");
  }
}
