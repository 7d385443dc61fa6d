#pragma once
// Delivery for platform "web": an outbox row (a turn's reply, or a scheduler's nudge for a web
// person) is "sent" by appending it to that person's web conversation log, where the page picks
// it up (a waiting long poll at once: `on_logged` names the person after each append). The
// row's idempotency key makes a re-send after a crash a no-op.
#include <functional>
#include <mutex>
#include <string>

#include "bot/pipeline/message_sender.hpp"
#include "bot/pipeline/clock.hpp"

namespace okr::storage {
class Database;
}

namespace okr::bot::web {

class WebSender : public pipeline::MessageSender {
 public:
  // `db` is the dispatcher's own connection; send() may run on several sender threads at once,
  // so every use of it takes `db_mutex_` (appends are short local writes).
  // `on_logged` (may be empty) runs after an entry is committed to a person's log.
  WebSender(storage::Database& db, pipeline::Clock clock,
            std::function<void(const std::string& person)> on_logged = {});
  pipeline::SendOutcome send(const storage::OutboxRow& row) override;

 private:
  std::function<void(const std::string& person)> on_logged_;
  storage::Database& db_;
  std::mutex db_mutex_;
  pipeline::Clock clock_;
};

}  // namespace okr::bot::web
