#include <catch2/catch.hpp>

#include "storage/outbox.hpp"
#include "temp_store.hpp"

using namespace okr;
using okr::storage::testing::at_utc;
using okr::storage::testing::TempStore;

namespace {

storage::OutboxItem post_to(const std::string& conversation, const std::string& text) {
  storage::OutboxItem item;
  item.address.platform = "slack";
  item.address.workspace = "T1";
  item.address.conversation = conversation;
  item.message.text = text;
  return item;
}

std::vector<std::string> texts(const std::vector<storage::OutboxRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows)
    out.push_back(r.message.text);
  return out;
}

}  // namespace

TEST_CASE("an outbox row keeps its address, message and a stable idempotency key",
          "[storage][outbox]") {
  TempStore store;
  auto item = post_to("D1", "Here is your draft");
  item.address.kind = "update";
  item.address.target = "1700000000.000100";
  item.address.thread = "1700000000.000001";
  item.message.question = dialogs::Question{"ask_keep", {{"yes", "Yes", 1, {"y"}}}};
  const auto id = storage::Outbox(store.db()).enqueue(item, at_utc(2026, 11, 2));
  const auto keyed = storage::Outbox(store.db())
                         .enqueue(
                             [] {
                               auto i = post_to("D1", "second");
                               i.idempotency_key = "mine";
                               return i;
                             }(),
                             at_utc(2026, 11, 2));
  store.reopen();
  storage::Outbox outbox(store.db());
  const auto row = outbox.find(id);
  REQUIRE(row);
  CHECK(row->address.platform == "slack");
  CHECK(row->address.workspace == "T1");
  CHECK(row->address.conversation == "D1");
  CHECK(row->address.kind == "update");
  CHECK(row->address.target == "1700000000.000100");
  CHECK(row->address.thread == "1700000000.000001");
  CHECK(row->message.text == "Here is your draft");
  REQUIRE(row->message.question);
  CHECK(row->message.question->choices.at(0).label == "Yes");
  CHECK(row->idempotency_key == "okr-" + std::to_string(id));
  CHECK(row->status == storage::OutboxStatus::pending);
  CHECK(row->created_at == at_utc(2026, 11, 2));
  CHECK(outbox.find(keyed)->idempotency_key == "mine");
}

TEST_CASE("only the oldest unsent row of a conversation is due, so messages keep their order",
          "[storage][outbox]") {
  TempStore store;
  storage::Outbox outbox(store.db());
  const auto now = at_utc(2026, 11, 2);
  const auto a1 = outbox.enqueue(post_to("A", "a1"), now);
  outbox.enqueue(post_to("A", "a2"), now);
  outbox.enqueue(post_to("B", "b1"), now);
  CHECK(texts(outbox.due(now)) == std::vector<std::string>{"a1", "b1"});

  // a1 is being retried later: a2 must wait behind it rather than overtake it.
  REQUIRE(outbox.mark_sending(a1));
  CHECK(texts(outbox.due(now)) == std::vector<std::string>{"b1"});
  outbox.schedule_retry(a1, now + std::chrono::seconds(30), "HTTP 503");
  CHECK(texts(outbox.due(now)) == std::vector<std::string>{"b1"});
  CHECK(outbox.next_due() == now);
  // Earliest due first: b1 has been due since `now`.
  CHECK(texts(outbox.due(now + std::chrono::seconds(30))) == std::vector<std::string>{"b1", "a1"});

  REQUIRE(outbox.mark_sending(a1));
  outbox.mark_sent(a1, now + std::chrono::seconds(31), "1700.1");
  CHECK(texts(outbox.due(now + std::chrono::seconds(31))) == std::vector<std::string>{"a2", "b1"});
  const auto sent = outbox.find(a1);
  CHECK(sent->status == storage::OutboxStatus::sent);
  CHECK(sent->attempts == 2);
  CHECK(sent->sent_ref == "1700.1");
  CHECK(sent->sent_at == now + std::chrono::seconds(31));
}

TEST_CASE("a dead row no longer holds back its conversation", "[storage][outbox]") {
  TempStore store;
  storage::Outbox outbox(store.db());
  const auto now = at_utc(2026, 11, 2);
  const auto a1 = outbox.enqueue(post_to("A", "a1"), now);
  outbox.enqueue(post_to("A", "a2"), now);
  REQUIRE(outbox.mark_sending(a1));
  outbox.mark_dead(a1, "channel_not_found");
  CHECK(texts(outbox.due(now)) == std::vector<std::string>{"a2"});
  CHECK(outbox.count(storage::OutboxStatus::dead) == 1);
  CHECK(outbox.find(a1)->last_error == "channel_not_found");
  CHECK(outbox.depth() == 1);
}

TEST_CASE("a row claimed once cannot be claimed again until it is pending", "[storage][outbox]") {
  TempStore store;
  storage::Outbox outbox(store.db());
  const auto id = outbox.enqueue(post_to("A", "a1"), at_utc(2026, 11, 2));
  CHECK(outbox.mark_sending(id));
  CHECK_FALSE(outbox.mark_sending(id));
  CHECK(outbox.depth() == 1);
}

TEST_CASE("rows interrupted mid-send are pending again after a restart", "[storage][outbox]") {
  TempStore store;
  const auto now = at_utc(2026, 11, 2);
  dialogs::Id interrupted = 0;
  {
    storage::Outbox outbox(store.db());
    interrupted = outbox.enqueue(post_to("A", "a1"), now);
    const auto done = outbox.enqueue(post_to("B", "b1"), now);
    REQUIRE(outbox.mark_sending(interrupted));
    REQUIRE(outbox.mark_sending(done));
    outbox.mark_sent(done, now);
  }
  store.reopen();
  storage::Outbox outbox(store.db());
  CHECK(outbox.due(now).empty());
  CHECK(outbox.recover_interrupted(now + std::chrono::seconds(5)) == 1);
  const auto due = outbox.due(now + std::chrono::seconds(5));
  REQUIRE(due.size() == 1);
  CHECK(due[0].id == interrupted);
  CHECK(due[0].attempts == 1);
  CHECK(outbox.count(storage::OutboxStatus::sent) == 1);
}

TEST_CASE("old sent and dead outbox rows are pruned and unfinished ones kept",
          "[storage][outbox]") {
  TempStore store;
  storage::Outbox outbox(store.db());
  const auto then = at_utc(2026, 10, 1);
  const auto sent = outbox.enqueue(post_to("A", "sent"), then);
  const auto dead = outbox.enqueue(post_to("B", "dead"), then);
  const auto waiting = outbox.enqueue(post_to("C", "waiting"), then);
  const auto recent = outbox.enqueue(post_to("D", "recent"), at_utc(2026, 11, 2));
  for (const auto id : {sent, dead, recent})
    REQUIRE(outbox.mark_sending(id));
  outbox.mark_sent(sent, then);
  outbox.mark_dead(dead, "channel_not_found");
  outbox.mark_sent(recent, at_utc(2026, 11, 2));
  CHECK(outbox.forget_sent_before(at_utc(2026, 11, 1)) == 2);
  CHECK_FALSE(outbox.find(sent));
  CHECK_FALSE(outbox.find(dead));
  CHECK(outbox.find(waiting));
  CHECK(outbox.find(recent));
}
