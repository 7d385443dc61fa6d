#pragma once
// The unit of work of one dialog turn: the dialog's new state (or its end) and every domain
// effect the engine asked for are written in ONE immediate transaction, so a crash or a failed
// write leaves the database exactly as it was before the turn — the person is asked the same
// question again rather than finding half an OKR saved.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dialogs/effects.hpp"
#include "storage/dialog_instances.hpp"
#include "storage/outbox.hpp"

namespace okr::storage {

class Database;

struct TurnRecord {
  dialogs::Id person_id = 0;
  std::string conversation;
  // The dialog still in progress after the turn; nullopt when no dialog is active any more
  // (it ended, was cancelled, or none was running), which removes any stored instance.
  std::optional<StoredDialog> dialog;
  std::vector<dialogs::Effect> effects;
  // The inbox entry this turn answers: marked done in the same transaction, so after a crash
  // it is either processed with all its replies queued, or still pending and processed again.
  std::optional<dialogs::Id> inbox_id;
  // The turn's replies, queued in the same transaction (nothing is sent that was not saved).
  std::vector<OutboxItem> outbox;
  dialogs::TimePoint at{};  // when the turn happened: the outbox rows' created/due time
};

// What the effects created, in the order they were applied (ids filled in).
struct TurnResult {
  std::vector<dialogs::Objective> objectives;
  std::vector<dialogs::CheckIn> check_ins;
  std::vector<dialogs::Reflection> reflections;
  std::vector<dialogs::Id> outbox_ids;  // one per TurnRecord::outbox item, same order
};

// Throws StorageError (with the failing step in its message) after rolling everything back.
// Effects missing a person id get the turn's person.
TurnResult commit_turn(Database& db, const TurnRecord& turn);

// For work that answers an inbound event without a dialog turn (a Home tab refresh, a notice):
// queues `replies` due at `at` and marks `inbox_id` done (when given) in one transaction.
// Returns the outbox ids in order. Throws StorageError after rolling back.
std::vector<dialogs::Id> commit_replies(Database& db, std::optional<dialogs::Id> inbox_id,
                                        const std::vector<OutboxItem>& replies,
                                        dialogs::TimePoint at);

// For an office command (bot/pipeline/office_commands.hpp): runs `work`, whose writes through
// the repositories join this transaction, queues the items it returns due at `at` and marks
// `inbox_id` done (when given), all in one IMMEDIATE transaction. Returns the outbox ids in
// order. Anything `work` throws rolls everything back; a StorageError is rethrown as is, a
// SQLite error becomes one.
std::vector<dialogs::Id> commit_command(Database& db, std::optional<dialogs::Id> inbox_id,
                                        dialogs::TimePoint at,
                                        const std::function<std::vector<OutboxItem>()>& work);

}  // namespace okr::storage
