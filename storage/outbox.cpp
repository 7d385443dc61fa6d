#include "storage/outbox.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>

#include "dialogs/message_json.hpp"
#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"
#include "storage/write_scope.hpp"

namespace okr::storage {
namespace {

const char* status_name(OutboxStatus status) {
  switch (status) {
    case OutboxStatus::pending:
      return "pending";
    case OutboxStatus::sending:
      return "sending";
    case OutboxStatus::sent:
      return "sent";
    case OutboxStatus::dead:
      return "dead";
  }
  return "pending";
}

OutboxStatus status_from(const std::string& name) {
  if (name == "sending")
    return OutboxStatus::sending;
  if (name == "sent")
    return OutboxStatus::sent;
  if (name == "dead")
    return OutboxStatus::dead;
  return OutboxStatus::pending;
}

// Appends `,"name":"value"` when the value is set, escaped as nlohmann::json escapes it.
void append_field(std::string& out, const char* name, const std::string& value) {
  if (value.empty())
    return;
  out += ",\"";
  out += name;
  out += "\":";
  out += nlohmann::json(value).dump();
}

// Addressing that only some kinds use travels in the payload next to the message, so a new
// kind needs no column. Built as text around the already encoded message, so a message shared
// by many rows is encoded once; the keys come in the order nlohmann::json writes an object's
// (sorted), so a payload reads the same whichever way it was made.
std::string encode_payload(const OutboxItem& item) {
  const std::string own = item.encoded_message ? std::string() : nlohmann::json(item.message).dump();
  const std::string& message = item.encoded_message ? *item.encoded_message : own;
  std::string out;
  out.reserve(message.size() + 64 + item.platform_payload.size());
  out += "{\"message\":";
  out += message;
  append_field(out, "platform_payload", item.platform_payload);
  append_field(out, "target", item.address.target);
  append_field(out, "thread", item.address.thread);
  append_field(out, "user", item.address.user);
  out += '}';
  return out;
}

constexpr const char* columns =
    "id, platform, workspace, conversation, kind, payload, idempotency_key, status, attempts, "
    "next_attempt_at, "
    "last_error, sent_ref, created_at, sent_at";

OutboxRow read_row(SQLite::Statement& q) {
  OutboxRow r;
  r.id = q.getColumn(0).getInt64();
  r.address.platform = q.getColumn(1).getString();
  r.address.workspace = q.getColumn(2).getString();
  r.address.conversation = q.getColumn(3).getString();
  r.address.kind = q.getColumn(4).getString();
  try {
    const auto j = nlohmann::json::parse(q.getColumn(5).getString());
    r.message = j.at("message").get<dialogs::Outbound>();
    r.address.user = j.value("user", "");
    r.address.target = j.value("target", "");
    r.address.thread = j.value("thread", "");
    r.platform_payload = j.value("platform_payload", "");
  } catch (const nlohmann::json::exception& error) {
    throw StorageError(
        StorageError::Code::query_failed,
        "outbox row " + std::to_string(r.id) + " has an unreadable payload: " + error.what());
  }
  r.idempotency_key = q.getColumn(6).getString();
  r.status = status_from(q.getColumn(7).getString());
  r.attempts = q.getColumn(8).getInt();
  r.next_attempt_at = from_unix(q.getColumn(9).getInt64());
  r.last_error = q.getColumn(10).getString();
  r.sent_ref = q.getColumn(11).getString();
  r.created_at = from_unix(q.getColumn(12).getInt64());
  if (!q.getColumn(13).isNull())
    r.sent_at = from_unix(q.getColumn(13).getInt64());
  return r;
}

std::string row_name(dialogs::Id id) {
  return "outbox row " + std::to_string(id);
}

}  // namespace

std::shared_ptr<const std::string> encode_message(const dialogs::Outbound& message) {
  return std::make_shared<const std::string>(nlohmann::json(message).dump());
}

dialogs::Id Outbox::enqueue(const OutboxItem& item, dialogs::TimePoint now) {
  const auto& a = item.address;
  return guarded(
      "queueing a " + a.kind + " to " + a.platform + " conversation '" + a.conversation + "'", [&] {
        WriteScope scope(db_.handle());
        auto q = db_.statement("INSERT INTO outbox (platform, workspace, conversation, kind, payload, "
                            "idempotency_key, "
                            "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        q.bind(1, a.platform);
        q.bind(2, a.workspace);
        q.bind(3, a.conversation);
        q.bind(4, a.kind);
        q.bind(5, encode_payload(item));
        q.bind(6, item.idempotency_key);
        q.bind(7, to_unix(now));
        q.bind(8, to_unix(now));
        q.exec();
        const auto id = db_.handle().getLastInsertRowid();
        if (item.idempotency_key.empty()) {
          // The row id is unique and stable, which is all a platform's idempotency key needs.
          auto key = db_.statement("UPDATE outbox SET idempotency_key = ? WHERE id = ?");
          key.bind(1, "okr-" + std::to_string(id));
          key.bind(2, id);
          key.exec();
        }
        scope.commit();
        return id;
      });
}

std::optional<OutboxRow> Outbox::find(dialogs::Id id) {
  return guarded("loading " + row_name(id), [&] {
    auto q = db_.statement(std::string("SELECT ") + columns + " FROM outbox WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep())
      return std::optional<OutboxRow>{};
    return std::optional(read_row(q));
  });
}

std::vector<OutboxRow> Outbox::due(dialogs::TimePoint now, std::size_t limit) {
  return guarded("listing due outbox rows", [&] {
    auto q = db_.statement(std::string("SELECT ") + columns +
            " FROM outbox o WHERE o.status = 'pending' AND o.next_attempt_at <= ? AND o.id = ("
            "SELECT MIN(h.id) FROM outbox h WHERE h.platform = o.platform AND "
            "h.workspace = o.workspace AND h.conversation = o.conversation AND "
            "h.status IN ('pending', 'sending')) ORDER BY o.next_attempt_at, o.id LIMIT ?");
    q.bind(1, to_unix(now));
    q.bind(2, static_cast<std::int64_t>(limit));
    std::vector<OutboxRow> rows;
    while (q.executeStep())
      rows.push_back(read_row(q));
    return rows;
  });
}

std::optional<dialogs::TimePoint> Outbox::next_due() {
  return guarded("finding the next due outbox row", [&] {
    // Only conversation heads can become due; a row queued behind another waits for it.
    auto q = db_.statement("SELECT MIN(o.next_attempt_at) FROM outbox o WHERE o.status = 'pending' AND o.id = ("
        "SELECT MIN(h.id) FROM outbox h WHERE h.platform = o.platform AND "
        "h.workspace = o.workspace AND h.conversation = o.conversation AND "
        "h.status IN ('pending', 'sending'))");
    q.executeStep();
    if (q.getColumn(0).isNull())
      return std::optional<dialogs::TimePoint>{};
    return std::optional(from_unix(q.getColumn(0).getInt64()));
  });
}

bool Outbox::mark_sending(dialogs::Id id) {
  return guarded("claiming " + row_name(id), [&] {
    auto q = db_.statement("UPDATE outbox SET status = 'sending', attempts = attempts + 1 "
                        "WHERE id = ? AND status = 'pending'");
    q.bind(1, id);
    return q.exec() == 1;
  });
}

void Outbox::mark_sent(dialogs::Id id, dialogs::TimePoint at, const std::string& sent_ref) {
  guarded("marking " + row_name(id) + " sent", [&] {
    auto q = db_.statement("UPDATE outbox SET status = 'sent', sent_at = ?, sent_ref = ?, last_error "
                        "= '' WHERE id = ?");
    q.bind(1, to_unix(at));
    q.bind(2, sent_ref);
    q.bind(3, id);
    q.exec();
  });
}

void Outbox::schedule_retry(dialogs::Id id, dialogs::TimePoint next_attempt_at,
                            const std::string& error) {
  guarded("rescheduling " + row_name(id), [&] {
    auto q = db_.statement("UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ? "
                        "WHERE id = ? AND status IN ('pending', 'sending')");
    q.bind(1, to_unix(next_attempt_at));
    q.bind(2, error);
    q.bind(3, id);
    q.exec();
  });
}

void Outbox::retry_after_rate_limit(dialogs::Id id, dialogs::TimePoint next_attempt_at) {
  guarded("rescheduling rate-limited " + row_name(id), [&] {
    auto q = db_.statement("UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = 'rate limited', "
        "attempts = MAX(attempts - 1, 0) WHERE id = ? AND status = 'sending'");
    q.bind(1, to_unix(next_attempt_at));
    q.bind(2, id);
    q.exec();
  });
}

void Outbox::postpone(dialogs::Id id, dialogs::TimePoint until) {
  guarded("postponing " + row_name(id), [&] {
    auto q = db_.statement("UPDATE outbox SET next_attempt_at = MAX(next_attempt_at, ?) WHERE id = ? "
                        "AND status = 'pending'");
    q.bind(1, to_unix(until));
    q.bind(2, id);
    q.exec();
  });
}

void Outbox::mark_dead(dialogs::Id id, const std::string& error) {
  guarded("dead-lettering " + row_name(id), [&] {
    auto q = db_.statement("UPDATE outbox SET status = 'dead', last_error = ? WHERE id = ?");
    q.bind(1, error);
    q.bind(2, id);
    q.exec();
  });
}

std::size_t Outbox::recover_interrupted(dialogs::TimePoint now) {
  return guarded("recovering interrupted outbox rows", [&] {
    auto q = db_.statement("UPDATE outbox SET status = 'pending', next_attempt_at = ? WHERE status = 'sending'");
    q.bind(1, to_unix(now));
    return static_cast<std::size_t>(q.exec());
  });
}

std::size_t Outbox::depth() {
  return guarded("measuring the outbox depth", [&] {
    auto q = db_.statement("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')");
    q.executeStep();
    return static_cast<std::size_t>(q.getColumn(0).getInt64());
  });
}

std::size_t Outbox::count(OutboxStatus status) {
  return guarded("counting outbox rows", [&] {
    auto q = db_.statement("SELECT COUNT(*) FROM outbox WHERE status = ?");
    q.bind(1, status_name(status));
    q.executeStep();
    return static_cast<std::size_t>(q.getColumn(0).getInt64());
  });
}

std::size_t Outbox::forget_sent_before(dialogs::TimePoint before) {
  return guarded("pruning finished outbox rows", [&] {
    auto q = db_.statement("DELETE FROM outbox WHERE (status = 'sent' AND sent_at < ?1) OR "
                        "(status = 'dead' AND created_at < ?1)");
    q.bind(1, to_unix(before));
    return static_cast<std::size_t>(q.exec());
  });
}

}  // namespace okr::storage
