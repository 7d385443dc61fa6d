// The web conversation log, the inbound record that feeds it, and the outbox sender that
// delivers the coach's messages into it — on a real SQLite file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "bot/web/web_delivery.hpp"
#include "bot/web/web_sender.hpp"
#include "storage/outbox.hpp"
#include "storage/database.hpp"
#include "storage/inbox.hpp"
#include "storage/web_inbound.hpp"
#include "storage/web_messages.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;

namespace {

const dialogs::TimePoint kNow{std::chrono::seconds{1'790'000'000}};

storage::Database migrated(const test::TempDir& dir) {
  auto db = storage::Database::open((dir / "coach.db").string());
  db.migrate();
  return db;
}

dialogs::Outbound text(std::string words) {
  dialogs::Outbound m;
  m.text = std::move(words);
  return m;
}

storage::OutboxRow row_to(const std::string& person, dialogs::Id id, std::string words,
                          std::string key = {}) {
  storage::OutboxRow row;
  row.id = id;
  row.address.platform = "web";
  row.address.workspace = "local";
  row.address.conversation = person;
  row.address.user = person;
  row.message = text(std::move(words));
  row.idempotency_key = std::move(key);
  return row;
}

}  // namespace

TEST_CASE("the log keeps each person's entries in order and apart", "[web]") {
  test::TempDir dir;
  auto db = migrated(dir);
  storage::WebMessages log(db);
  const auto a = log.append("local", "you", storage::WebAuthor::person, text("draft"), "", kNow);
  auto question = text("What do you want to achieve?");
  question.question = dialogs::Question{"q", {{"yes", "Yes", 1, {"y"}}}};
  const auto b = log.append("local", "you", storage::WebAuthor::coach, question, "", kNow);
  log.append("local", "someone-else", storage::WebAuthor::person, text("hi"), "", kNow);

  const auto mine = log.after("local", "you", 0);
  REQUIRE(mine.size() == 2);
  CHECK(mine[0].id == a);
  CHECK(mine[0].author == storage::WebAuthor::person);
  CHECK(mine[1].id == b);
  REQUIRE(mine[1].message.question);
  CHECK(mine[1].message.question->choices[0].label == "Yes");
  CHECK(log.after("local", "you", a).size() == 1);
  CHECK(log.after("local", "you", b).empty());
  CHECK(log.after("local", "you", 0, 1).size() == 1);
}

TEST_CASE("an entry with a key already logged is not added twice", "[web]") {
  test::TempDir dir;
  auto db = migrated(dir);
  storage::WebMessages log(db);
  const auto first = log.append("local", "you", storage::WebAuthor::coach, text("one"), "k1", kNow);
  const auto again = log.append("local", "you", storage::WebAuthor::coach, text("one"), "k1", kNow);
  CHECK(first == again);
  CHECK(log.after("local", "you", 0).size() == 1);
}

TEST_CASE("a web message is recorded in the inbox and the log together, once", "[web]") {
  test::TempDir dir;
  auto db = migrated(dir);
  dialogs::Inbound message;
  message.platform = "web";
  message.workspace = "local";
  message.user = "you";
  message.conversation = "you";
  message.action = dialogs::Action{"summary", "confirm"};
  const auto first = storage::record_web_inbound(db, "web:c1", message, "Confirm", kNow);
  CHECK_FALSE(first.duplicate);
  const auto again = storage::record_web_inbound(db, "web:c1", message, "Confirm", kNow);
  CHECK(again.duplicate);
  CHECK(again.inbox_id == first.inbox_id);
  CHECK(again.log_id == first.log_id);
  const auto log = storage::WebMessages(db).after("local", "you", 0);
  REQUIRE(log.size() == 1);
  CHECK(log[0].message.text == "Confirm");
  const auto pending = storage::Inbox(db).pending();
  REQUIRE(pending.size() == 1);
  REQUIRE(pending[0].message.action);
  CHECK(pending[0].message.action->value == "confirm");
}

TEST_CASE("the web sender delivers an outbox row into the person's log, once per key", "[web]") {
  test::TempDir dir;
  auto db = migrated(dir);
  bot::web::WebSender sender(db, [] { return kNow; });
  const auto sent = sender.send(row_to("you", 7, "Time for your weekly check-in", "okr-7"));
  CHECK(sent.kind == bot::pipeline::SendOutcome::Kind::sent);
  // A re-send after a crash carries the same idempotency key.
  CHECK(sender.send(row_to("you", 7, "Time for your weekly check-in", "okr-7")).kind ==
        bot::pipeline::SendOutcome::Kind::sent);
  CHECK(sender.send(row_to("you", 8, "And another", "")).kind ==
        bot::pipeline::SendOutcome::Kind::sent);
  const auto log = storage::WebMessages(db).after("local", "you", 0);
  REQUIRE(log.size() == 2);
  CHECK(log[0].author == storage::WebAuthor::coach);
  CHECK(log[0].message.text == "Time for your weekly check-in");
  CHECK(log[1].message.text == "And another");

  auto nobody = row_to("", 9, "lost");
  CHECK(sender.send(nobody).kind == bot::pipeline::SendOutcome::Kind::permanent);
}

TEST_CASE("the web sender called from four sender threads at once logs every row once",
          "[web][outbox]") {
  // The dispatcher's sender pool calls one sender from several threads, and the web sender
  // writes through one connection: unguarded, the calls would share its statements and
  // transactions, and some would fail or vanish.
  test::TempDir dir;
  auto db = migrated(dir);
  bot::web::WebSender sender(db, [] { return kNow; });
  constexpr int kThreads = 4;
  constexpr int kRowsEach = 100;
  std::vector<std::vector<bot::pipeline::SendOutcome::Kind>> outcomes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const auto person = "person-" + std::to_string(t);
      for (int i = 0; i < kRowsEach; ++i) {
        const auto id = t * kRowsEach + i + 1;
        outcomes[t].push_back(
            sender.send(row_to(person, id, "note " + std::to_string(i), "k-" + std::to_string(id)))
                .kind);
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  for (int t = 0; t < kThreads; ++t) {
    INFO("thread " << t);
    CHECK(std::count(outcomes[t].begin(), outcomes[t].end(),
                     bot::pipeline::SendOutcome::Kind::sent) == kRowsEach);
    const auto log = storage::WebMessages(db).after("local", "person-" + std::to_string(t), 0,
                                                    1000);
    REQUIRE(log.size() == kRowsEach);
    for (int i = 0; i < kRowsEach; ++i)
      CHECK(log[i].message.text == "note " + std::to_string(i));
  }
}

TEST_CASE("web delivery takes only web rows, even ones another dispatcher postponed", "[web]") {
  test::TempDir dir;
  auto db = migrated(dir);
  storage::Outbox outbox(db);
  auto item_for = [](const std::string& platform, const std::string& words) {
    storage::OutboxItem item;
    item.address.platform = platform;
    item.address.workspace = platform == "web" ? "local" : "T1";
    item.address.conversation = platform == "web" ? "you" : "D1";
    item.address.user = item.address.conversation;
    item.message = text(words);
    return item;
  };
  const auto slack = outbox.enqueue(item_for("slack", "for slack"), kNow);
  const auto first = outbox.enqueue(item_for("web", "first"), kNow);
  const auto second = outbox.enqueue(item_for("web", "second"), kNow);
  // What a dispatcher without a web sender does to our rows: holds them back a minute.
  outbox.postpone(first, kNow + std::chrono::seconds{60});

  bot::web::WebSender sender(db, [] { return kNow; });
  bot::web::WebDelivery delivery(db, sender, [] { return kNow; }, nullptr,
                                 std::chrono::milliseconds{10'000});
  CHECK(delivery.run_once() == 2);
  CHECK(delivery.run_once() == 0);

  const auto log = storage::WebMessages(db).after("local", "you", 0);
  REQUIRE(log.size() == 2);
  CHECK(log[0].message.text == "first");
  CHECK(log[1].message.text == "second");
  CHECK(outbox.find(first)->status == storage::OutboxStatus::sent);
  CHECK(outbox.find(second)->status == storage::OutboxStatus::sent);
  const auto untouched = outbox.find(slack);
  CHECK(untouched->status == storage::OutboxStatus::pending);
  CHECK(untouched->attempts == 0);
  CHECK(untouched->next_attempt_at == kNow);
}

TEST_CASE("web rows a crash left mid-delivery are delivered at the next start, once", "[web]") {
  test::TempDir dir;
  auto db = migrated(dir);
  storage::Outbox outbox(db);
  storage::OutboxItem item;
  item.address.platform = "web";
  item.address.workspace = "local";
  item.address.conversation = "you";
  item.message = text("hello again");
  const auto id = outbox.enqueue(item, kNow);
  bot::web::WebSender sender(db, [] { return kNow; });
  // Delivered, but the crash came before the row was marked sent.
  REQUIRE(outbox.mark_sending(id));
  REQUIRE(sender.send(*outbox.find(id)).kind == bot::pipeline::SendOutcome::Kind::sent);

  bot::web::WebDelivery delivery(db, sender, [] { return kNow; }, nullptr,
                                 std::chrono::milliseconds{10'000});
  delivery.start();
  delivery.stop();
  CHECK(delivery.run_once() == 0);  // the loop's first pass already delivered it
  CHECK(outbox.find(id)->status == storage::OutboxStatus::sent);
  CHECK(storage::WebMessages(db).after("local", "you", 0).size() == 1);
}
