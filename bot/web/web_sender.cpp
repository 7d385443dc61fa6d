#include "bot/web/web_sender.hpp"

#include <exception>
#include <utility>

#include "storage/database.hpp"
#include "storage/web_messages.hpp"

namespace okr::bot::web {

WebSender::WebSender(storage::Database& db, pipeline::Clock clock,
                     std::function<void(const std::string& person)> on_logged)
    : on_logged_(std::move(on_logged)), db_(db), clock_(std::move(clock)) {}

pipeline::SendOutcome WebSender::send(const storage::OutboxRow& row) {
  // A web person's conversation is the person: replies and nudges alike are addressed to them.
  const auto& person = row.address.user.empty() ? row.address.conversation : row.address.user;
  if (person.empty())
    return pipeline::SendOutcome::failed("web message without a person to show it to");
  const auto key =
      row.idempotency_key.empty() ? "outbox-" + std::to_string(row.id) : row.idempotency_key;
  try {
    const auto id = [&] {
      std::lock_guard lock(db_mutex_);
      return storage::WebMessages(db_).append(row.address.workspace, person,
                                              storage::WebAuthor::coach, row.message,
                                              "out:" + key, clock_());
    }();
    if (on_logged_)
      on_logged_(person);
    return pipeline::SendOutcome::delivered(std::to_string(id));
  } catch (const storage::StorageError& error) {
    // A busy or failing disk: the dispatcher backs off and tries again.
    return pipeline::SendOutcome::retry(error.what());
  }
}

}  // namespace okr::bot::web
