#pragma once
// Delivery for platform "web": an outbox row (a turn's reply, or a scheduler's nudge for a web
// person) is "sent" by appending it to that person's web conversation log, where the page picks
// it up on its next poll. The row's idempotency key makes a re-send after a crash a no-op.
#include "bot/pipeline/message_sender.hpp"
#include "bot/pipeline/clock.hpp"

namespace okr::storage {
class Database;
}

namespace okr::bot::web {

class WebSender : public pipeline::MessageSender {
 public:
  // `db` is the dispatcher's own connection (send() runs on the dispatcher's thread).
  WebSender(storage::Database& db, pipeline::Clock clock);
  pipeline::SendOutcome send(const storage::OutboxRow& row) override;

 private:
  storage::Database& db_;
  pipeline::Clock clock_;
};

}  // namespace okr::bot::web
