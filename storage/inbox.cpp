#include "storage/inbox.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "dialogs/message_json.hpp"
#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/json_text.hpp"
#include "storage/statement_cache.hpp"
#include "storage/write_scope.hpp"

namespace okr::storage {
namespace {

const char* status_name(InboxStatus status) {
  switch (status) {
    case InboxStatus::pending:
      return "pending";
    case InboxStatus::done:
      return "done";
    case InboxStatus::failed:
      return "failed";
  }
  return "pending";
}

InboxStatus status_from(const std::string& name) {
  if (name == "done")
    return InboxStatus::done;
  if (name == "failed")
    return InboxStatus::failed;
  return InboxStatus::pending;
}

// The message as dialogs/message_json reads it back (from_json(Inbound)).
std::string inbound_json(const dialogs::Inbound& message) {
  FlatJsonObject out;
  out.add("platform", message.platform)
      .add("workspace", message.workspace)
      .add("user", message.user)
      .add("conversation", message.conversation)
      .add("text", message.text);
  if (message.action) {
    FlatJsonObject action;
    action.add("id", message.action->id).add("value", message.action->value);
    out.add_json("action", action.take());
  }
  return out.take();
}

constexpr const char* columns = "id, event_key, payload, status, attempts, last_error, received_at";

InboxEntry read_entry(SQLite::Statement& q) {
  InboxEntry e;
  e.id = q.getColumn(0).getInt64();
  e.event_key = q.getColumn(1).getString();
  try {
    e.message = nlohmann::json::parse(q.getColumn(2).getString()).get<dialogs::Inbound>();
  } catch (const nlohmann::json::exception& error) {
    throw StorageError(
        StorageError::Code::query_failed,
        "inbox entry " + std::to_string(e.id) + " has an unreadable payload: " + error.what());
  }
  e.status = status_from(q.getColumn(3).getString());
  e.attempts = q.getColumn(4).getInt();
  e.last_error = q.getColumn(5).getString();
  e.received_at = from_unix(q.getColumn(6).getInt64());
  return e;
}

std::vector<InboxEntry> read_entries(SQLite::Statement& q) {
  std::vector<InboxEntry> entries;
  while (q.executeStep())
    entries.push_back(read_entry(q));
  return entries;
}

}  // namespace

InboxRecord Inbox::record(const std::string& event_key, const dialogs::Inbound& message,
                          dialogs::TimePoint received_at) {
  const auto what = [&] {
    return "recording inbound event '" + event_key + "' from " + message.platform;
  };
  return guarded(what, [&] {
    // ON CONFLICT DO NOTHING + changes() tells a retry from a first delivery in one round trip
    // without relying on a constraint error.
    auto insert = db_.statement("INSERT INTO inbox (platform, workspace, event_key, conversation, payload, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, event_key) DO NOTHING");
    insert.bind(1, message.platform);
    insert.bind(2, message.workspace);
    insert.bind(3, event_key);
    insert.bind(4, message.conversation);
    insert.bind(5, inbound_json(message));
    insert.bind(6, to_unix(received_at));
    if (insert.exec() == 1)
      return InboxRecord{db_.handle().getLastInsertRowid(), false};
    auto q = db_.statement("SELECT id FROM inbox WHERE platform = ? AND workspace = ? AND event_key = ?");
    q.bind(1, message.platform);
    q.bind(2, message.workspace);
    q.bind(3, event_key);
    if (!q.executeStep())
      throw StorageError(StorageError::Code::not_found, "the existing entry vanished");
    return InboxRecord{q.getColumn(0).getInt64(), true};
  });
}

InboxRecord Inbox::record(const std::string& event_key, const dialogs::Inbound& message,
                          dialogs::TimePoint received_at, const OutboxAddress& reply_to,
                          const std::vector<OutboxItem>& immediate) {
  WriteScope scope(db_.handle());
  const auto recorded = record(event_key, message, received_at);
  if (recorded.duplicate)
    return recorded;  // the scope rolls back nothing: nothing was written
  const auto keeping = [&] {
    return "keeping the reply address of inbound event '" + event_key + "'";
  };
  guarded(keeping, [&] {
    FlatJsonObject address;
    address.add("platform", reply_to.platform)
        .add("workspace", reply_to.workspace)
        .add("conversation", reply_to.conversation)
        .add("kind", reply_to.kind)
        .add("user", reply_to.user)
        .add("target", reply_to.target)
        .add("thread", reply_to.thread);
    auto q = db_.statement("INSERT INTO inbox_replies (inbox_id, address) VALUES (?, ?)");
    q.bind(1, recorded.id);
    q.bind(2, address.take());
    q.exec();
  });
  if (!immediate.empty()) {
    Outbox outbox(db_);
    for (const auto& item : immediate)
      outbox.enqueue(item, received_at);
  }
  const auto committing = [&] { return "committing inbound event '" + event_key + "'"; };
  guarded(committing, [&] { scope.commit(); });
  return recorded;
}

std::optional<OutboxAddress> Inbox::reply_to(dialogs::Id id) {
  return guarded("loading the reply address of inbox entry " + std::to_string(id), [&] {
    auto q = db_.statement("SELECT address FROM inbox_replies WHERE inbox_id = ?");
    q.bind(1, id);
    if (!q.executeStep())
      return std::optional<OutboxAddress>{};
    const auto j = nlohmann::json::parse(q.getColumn(0).getString(), nullptr, false);
    if (!j.is_object())
      return std::optional<OutboxAddress>{};
    OutboxAddress address;
    address.platform = j.value("platform", "");
    address.workspace = j.value("workspace", "");
    address.conversation = j.value("conversation", "");
    address.kind = j.value("kind", "post");
    address.user = j.value("user", "");
    address.target = j.value("target", "");
    address.thread = j.value("thread", "");
    return std::optional(address);
  });
}

std::optional<InboxEntry> Inbox::find(dialogs::Id id) {
  return guarded("loading inbox entry " + std::to_string(id), [&] {
    auto q = db_.statement(std::string("SELECT ") + columns + " FROM inbox WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep())
      return std::optional<InboxEntry>{};
    return std::optional(read_entry(q));
  });
}

std::vector<InboxEntry> Inbox::pending(std::size_t limit) {
  return guarded("listing pending inbox entries", [&] {
    auto q = db_.statement(std::string("SELECT ") + columns +
                            " FROM inbox WHERE status = 'pending' ORDER BY id LIMIT ?");
    q.bind(1, static_cast<std::int64_t>(limit));
    return read_entries(q);
  });
}

std::vector<InboxEntry> Inbox::pending_after(dialogs::Id after, const std::string& platform,
                                             std::size_t limit) {
  return guarded("listing " + platform + " inbox entries pending after " + std::to_string(after),
                 [&] {
                   auto q = db_.statement(std::string("SELECT ") + columns +
                                          " FROM inbox WHERE status = 'pending' AND id > ?"
                                          " AND platform = ? ORDER BY id LIMIT ?");
                   q.bind(1, after);
                   q.bind(2, platform);
                   q.bind(3, static_cast<std::int64_t>(limit));
                   return read_entries(q);
                 });
}

std::size_t Inbox::pending_count() {
  return guarded("counting pending inbox entries", [&] {
    auto q = db_.statement("SELECT COUNT(*) FROM inbox WHERE status = 'pending'");
    q.executeStep();
    return static_cast<std::size_t>(q.getColumn(0).getInt64());
  });
}

void Inbox::mark_done(dialogs::Id id) {
  guarded("marking inbox entry " + std::to_string(id) + " done", [&] {
    auto q = db_.statement("UPDATE inbox SET status = 'done', done_at = unixepoch() WHERE id = ?");
    q.bind(1, id);
    if (q.exec() == 0) {
      throw StorageError(StorageError::Code::not_found, "no inbox entry " + std::to_string(id));
    }
  });
}

void Inbox::record_failure(dialogs::Id id, const std::string& error, bool give_up) {
  guarded("recording a failure of inbox entry " + std::to_string(id), [&] {
    auto q = db_.statement("UPDATE inbox SET attempts = attempts + 1, last_error = ?, status = ? WHERE id = ?");
    q.bind(1, error);
    q.bind(2, status_name(give_up ? InboxStatus::failed : InboxStatus::pending));
    q.bind(3, id);
    q.exec();
  });
}

std::size_t Inbox::forget_done_before(dialogs::TimePoint before) {
  return guarded("pruning finished inbox entries", [&] {
    auto q = db_.statement("DELETE FROM inbox WHERE status = 'done' AND received_at < ?");
    q.bind(1, to_unix(before));
    return static_cast<std::size_t>(q.exec());
  });
}

}  // namespace okr::storage
