#pragma once
// The outbox sender for Teams: renders a stored row as Adaptive Card activities and sends it
// through the Bot Connector to the conversation's stored reference. A row addressed to a person
// (the scheduler's nudges carry the 29:… user id) goes to their 1:1 chat, created first when
// only the person is known. Outcomes for the dispatcher: 429 → wait Retry-After (or back off
// when absent), 412/5xx/timeouts → retry, 403 on a proactive message → permanent and the
// reference marked stale (the app was removed), 400/404 → permanent.
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "bot/pipeline/message_sender.hpp"
#include "storage/conversation_refs.hpp"

namespace okr::storage {
class Database;
}

namespace okr::bot::teams {

class Connector;
struct ConnectorResponse;

class TeamsSender : public pipeline::MessageSender {
 public:
  // `connector` and `db` (a connection only this sender uses) must outlive it. send() may run
  // on several sender threads at once: every use of `db` takes `db_mutex_`, never across a
  // network call.
  // `app_id` names the bot when a 1:1 chat is created for a reference without a bot id.
  TeamsSender(Connector& connector, storage::Database& db, std::string app_id);

  pipeline::SendOutcome send(const storage::OutboxRow& row) override;
  // Teams limits sends per bot per conversation, so a 429 holds back that conversation only.
  std::string rate_scope(const storage::OutboxRow& row) const override;

 private:
  pipeline::SendOutcome post(const storage::OutboxRow& row);
  pipeline::SendOutcome update(const storage::OutboxRow& row);
  // The reference to write to: the addressed conversation, else the person's 1:1 chat (created
  // when needed). nullopt with `why` set when there is none.
  std::optional<storage::ConversationRef> resolve(const storage::OutboxAddress& address,
                                                  std::string& why);
  pipeline::SendOutcome classify(const ConnectorResponse& response, bool proactive,
                                 const storage::ConversationRef& ref);

  Connector& connector_;
  storage::Database& db_;
  std::string app_id_;
  std::mutex db_mutex_;  // guards db_ (and its statement cache)
  std::mutex mutex_;
  std::map<std::int64_t, std::size_t> parts_posted_;  // row id → parts already accepted
};

}  // namespace okr::bot::teams
