#pragma once
// The durable inbox: every inbound event we acknowledge is written here first, so a crash after
// the acknowledgement loses nothing and a platform's retry of the same event is recognised and
// not processed twice. Entries are processed in arrival order per conversation; `pending()`
// after a restart lists what was acknowledged but never finished.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "dialogs/domain.hpp"
#include "dialogs/message.hpp"
#include "storage/outbox.hpp"

namespace okr::storage {

class Database;

enum class InboxStatus { pending, done, failed };

struct InboxEntry {
  dialogs::Id id = 0;        // arrival order
  std::string event_key;     // the platform's event id (Slack event_id, Teams activity id)
  dialogs::Inbound message;  // platform and workspace are message.platform/workspace
  InboxStatus status = InboxStatus::pending;
  int attempts = 0;        // failed processing attempts so far
  std::string last_error;  // what went wrong last; never secrets
  dialogs::TimePoint received_at{};
};

struct InboxRecord {
  dialogs::Id id = 0;      // the entry's id, also when it was already there
  bool duplicate = false;  // true: this event was recorded before; acknowledge, do not process
};

class Inbox {
 public:
  explicit Inbox(Database& db) : db_(db) {}

  // Unique on (message.platform, message.workspace, event_key). Joins the caller's
  // transaction when one is open.
  InboxRecord record(const std::string& event_key, const dialogs::Inbound& message,
                     dialogs::TimePoint received_at);
  // The same, and in the same transaction: where the entry's replies go (kept for a restart,
  // see reply_to()) and the messages owed at once whatever the turn does (`immediate`, due at
  // `received_at`). A duplicate writes nothing.
  InboxRecord record(const std::string& event_key, const dialogs::Inbound& message,
                     dialogs::TimePoint received_at, const OutboxAddress& reply_to,
                     const std::vector<OutboxItem>& immediate);
  // The reply address recorded with the entry; nullopt when none was.
  std::optional<OutboxAddress> reply_to(dialogs::Id id);

  std::optional<InboxEntry> find(dialogs::Id id);
  // Pending entries in arrival order (oldest first) — what a restart must still process.
  std::vector<InboxEntry> pending(std::size_t limit = 10000);
  // The pending entries of `platform` newer than entry `after`, oldest first, at most `limit`:
  // what waits on disk only while the turn queue in memory is full.
  std::vector<InboxEntry> pending_after(dialogs::Id after, const std::string& platform,
                                        std::size_t limit);
  std::size_t pending_count();

  // The turn of this entry was committed (normally done by commit_turn in the same transaction).
  void mark_done(dialogs::Id id);
  // Processing failed: attempts + 1 and the error kept; `give_up` makes it `failed` (not retried
  // after a restart), otherwise it stays pending.
  void record_failure(dialogs::Id id, const std::string& error, bool give_up);
  // Drops entries done before `before` (received_at); pending and failed ones are kept. A
  // platform retries an event within minutes, so a day or more of history keeps dedupe intact.
  // Returns how many were removed.
  std::size_t forget_done_before(dialogs::TimePoint before);

 private:
  Database& db_;
};

}  // namespace okr::storage
