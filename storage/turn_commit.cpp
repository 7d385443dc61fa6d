#include "storage/turn_commit.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include <type_traits>

#include "storage/check_ins.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/inbox.hpp"
#include "storage/objectives.hpp"
#include "storage/outbox.hpp"
#include "storage/reflections.hpp"
#include "storage/schedules.hpp"
#include "storage/teams.hpp"

namespace okr::storage {

TurnResult commit_turn(Database& db, const TurnRecord& turn) {
  const std::string what = "committing a turn of person " + std::to_string(turn.person_id);
  return guarded(what, [&] {
    // IMMEDIATE takes the write lock up front, so two turns never deadlock upgrading a read
    // lock; SQLiteCpp's Savepoint is avoided on purpose (rollback bug in 3.2.1).
    SQLite::Transaction tx(db.handle(), SQLite::TransactionBehavior::IMMEDIATE);
    TurnResult result;
    Objectives objectives(db);
    CheckIns check_ins(db);
    Reflections reflections(db);
    Teams teams(db);
    for (const auto& effect : turn.effects) {
      std::visit(
          [&](const auto& e) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, dialogs::SaveObjective>) {
              auto o = e.objective;
              if (o.person_id == 0)
                o.person_id = turn.person_id;
              result.objectives.push_back(objectives.add(std::move(o)));
            } else if constexpr (std::is_same_v<E, dialogs::SaveCheckIns>) {
              for (auto c : e.check_ins) {
                if (c.person_id == 0)
                  c.person_id = turn.person_id;
                result.check_ins.push_back(check_ins.record(std::move(c)));
              }
            } else if constexpr (std::is_same_v<E, dialogs::SaveReflection>) {
              auto r = e.reflection;
              if (r.person_id == 0)
                r.person_id = turn.person_id;
              result.reflections.push_back(reflections.add(std::move(r)));
            } else if constexpr (std::is_same_v<E, dialogs::SaveTeamSettings>) {
              teams.save_settings(e.team_id, e.settings);
              // New check-in day, digest time or zone: the team's schedules follow in the
              // same transaction.
              sync_default_schedules(db, e.team_id, turn.at);
            }
          },
          effect);
    }
    DialogInstances instances(db);
    if (turn.dialog) {
      instances.save(turn.person_id, turn.conversation, *turn.dialog);
    } else {
      instances.finish(turn.person_id, turn.conversation);
    }
    // Replies and the inbox entry's completion share the turn's fate: a rollback leaves the
    // entry pending (processed again after a restart) and queues nothing.
    Outbox outbox(db);
    for (const auto& item : turn.outbox)
      result.outbox_ids.push_back(outbox.enqueue(item, turn.at));
    if (turn.inbox_id)
      Inbox(db).mark_done(*turn.inbox_id);
    tx.commit();
    return result;
  });
}

std::vector<dialogs::Id> commit_replies(Database& db, std::optional<dialogs::Id> inbox_id,
                                        const std::vector<OutboxItem>& replies,
                                        dialogs::TimePoint at) {
  const std::string what =
      "queueing " + std::to_string(replies.size()) + " repl" + (replies.size() == 1 ? "y" : "ies") +
      (inbox_id ? " for inbox entry " + std::to_string(*inbox_id) : std::string());
  return guarded(what, [&] {
    SQLite::Transaction tx(db.handle(), SQLite::TransactionBehavior::IMMEDIATE);
    std::vector<dialogs::Id> ids;
    Outbox outbox(db);
    for (const auto& item : replies)
      ids.push_back(outbox.enqueue(item, at));
    if (inbox_id)
      Inbox(db).mark_done(*inbox_id);
    tx.commit();
    return ids;
  });
}

std::vector<dialogs::Id> commit_command(Database& db, std::optional<dialogs::Id> inbox_id,
                                        dialogs::TimePoint at,
                                        const std::function<std::vector<OutboxItem>()>& work) {
  const std::string what =
      "committing a command" + (inbox_id ? " for inbox entry " + std::to_string(*inbox_id) : std::string());
  return guarded(what, [&] {
    SQLite::Transaction tx(db.handle(), SQLite::TransactionBehavior::IMMEDIATE);
    const auto items = work();
    std::vector<dialogs::Id> ids;
    Outbox outbox(db);
    for (const auto& item : items)
      ids.push_back(outbox.enqueue(item, at));
    if (inbox_id)
      Inbox(db).mark_done(*inbox_id);
    tx.commit();
    return ids;
  });
}

}  // namespace okr::storage
