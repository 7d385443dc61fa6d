#pragma once
// The durable outbox: every message the coach means to send is a row written in the same
// transaction as the turn that produced it, and the dispatcher sends rows until they are sent
// or dead-lettered. Rows of one conversation are sent in id order (only the oldest unsent row
// of a conversation is ever due), so a retry never lets a later message overtake an earlier one.
//
// Life of a row: pending → sending (just before the platform call) → sent | pending (retry at
// next_attempt_at) | dead. A row found `sending` at start-up was interrupted mid-call; its
// outcome is unknown, so recover_interrupted() makes it pending again and it is re-sent with
// the same idempotency key (at-least-once on a crash; exactly-once otherwise).
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dialogs/domain.hpp"
#include "dialogs/message.hpp"

namespace okr::storage {

class Database;

enum class OutboxStatus { pending, sending, sent, dead };

// Where a message goes, in platform-neutral words; a channel's sender interprets it.
struct OutboxAddress {
  std::string platform;       // "slack", "teams", ...
  std::string workspace;      // Slack team id, Teams tenant id
  std::string conversation;   // channel / conversation id; also the pacing and ordering scope
  std::string kind = "post";  // post | update | ephemeral | response_url | view_publish
  std::string user;           // ephemeral and view_publish: whom it is for
  std::string target;         // update: the platform's id of the message (Slack ts);
                              // response_url: the URL (a capability: never logged)
  std::string thread;         // reply inside this thread, empty = top level
};

// What a turn (or the scheduler) asks to send.
struct OutboxItem {
  OutboxAddress address;
  dialogs::Outbound message;
  std::string platform_payload;  // optional pre-rendered platform JSON (e.g. a Home view)
  std::string idempotency_key;   // empty = one is generated ("okr-<row id>")
  // `message` already encoded by encode_message, when many items carry the same message (one
  // nudge to thousands of people): encoding it once per item was half of a nudge's cost.
  // Null = `message` is encoded on enqueue. When set, it must be the encoding of `message`.
  std::shared_ptr<const std::string> encoded_message;
};

// The outbox's encoding of a message, to share between the items that send it.
std::shared_ptr<const std::string> encode_message(const dialogs::Outbound& message);

struct OutboxRow {
  dialogs::Id id = 0;
  OutboxAddress address;
  dialogs::Outbound message;
  std::string platform_payload;
  std::string idempotency_key;
  OutboxStatus status = OutboxStatus::pending;
  int attempts = 0;  // platform calls started so far
  dialogs::TimePoint next_attempt_at{};
  std::string last_error;  // never secrets
  std::string sent_ref;    // the platform's id of the sent message, when it gave one
  dialogs::TimePoint created_at{};
  std::optional<dialogs::TimePoint> sent_at;
};

class Outbox {
 public:
  explicit Outbox(Database& db) : db_(db) {}

  // Joins the caller's transaction when one is open (a turn's unit of work). Due at `now`.
  dialogs::Id enqueue(const OutboxItem& item, dialogs::TimePoint now);

  std::optional<OutboxRow> find(dialogs::Id id);
  // The oldest unsent row of each conversation, when it is pending and due at `now`; oldest
  // first, at most `limit`.
  std::vector<OutboxRow> due(dialogs::TimePoint now, std::size_t limit = 100);
  // When due() will next have something: the earliest next_attempt_at of a pending
  // conversation head; nullopt when no conversation has a pending head.
  std::optional<dialogs::TimePoint> next_due();

  // pending → sending, attempts + 1. Returns false when the row was not pending (someone else
  // took it), in which case the caller must not send it.
  bool mark_sending(dialogs::Id id);
  void mark_sent(dialogs::Id id, dialogs::TimePoint at, const std::string& sent_ref = {});
  // sending → pending, due again at `next_attempt_at`.
  void schedule_retry(dialogs::Id id, dialogs::TimePoint next_attempt_at, const std::string& error);
  // sending → pending after a 429: due again at `next_attempt_at`, and the call does not count
  // as an attempt (the platform told us when to come back; it is not a failure of the row).
  void retry_after_rate_limit(dialogs::Id id, dialogs::TimePoint next_attempt_at);
  // A pending row held back (pacing, a rate-limited scope, no sender yet) is due at `until`.
  void postpone(dialogs::Id id, dialogs::TimePoint until);
  void mark_dead(dialogs::Id id, const std::string& error);
  // At start-up: every `sending` row becomes pending and due now; returns how many.
  std::size_t recover_interrupted(dialogs::TimePoint now);
  // Drops rows sent before `before` (sent_at) and dead rows created before it; unfinished rows
  // are never dropped. Returns how many were removed.
  std::size_t forget_sent_before(dialogs::TimePoint before);

  // Rows not yet sent nor dead (pending + sending): the depth metric.
  std::size_t depth();
  std::size_t count(OutboxStatus status);

 private:
  Database& db_;
};

}  // namespace okr::storage
