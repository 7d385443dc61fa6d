#include "storage/schedules.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <map>
#include <sstream>

#include "storage/codec.hpp"
#include "storage/cycles.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"
#include "storage/teams.hpp"
#include "storage/write_scope.hpp"

namespace okr::storage {
namespace {

constexpr const char* kColumns =
    "id, kind, person_id, team_id, channel, recurrence, time_zone, dialog, team_default, "
    "next_due_at, created_by, last_fired_at, state";

const char* state_name(dialogs::Schedule::State state) {
  switch (state) {
    case dialogs::Schedule::State::active:
      return "active";
    case dialogs::Schedule::State::finished:
      return "finished";
    case dialogs::Schedule::State::stopped:
      return "stopped";
  }
  return "active";
}

dialogs::Schedule::State state_from(const std::string& name) {
  if (name == "finished")
    return dialogs::Schedule::State::finished;
  if (name == "stopped")
    return dialogs::Schedule::State::stopped;
  return dialogs::Schedule::State::active;
}

std::optional<dialogs::TimePoint> optional_time(const SQLite::Column& column) {
  if (column.isNull())
    return std::nullopt;
  return from_unix(column.getInt64());
}

dialogs::Id optional_id(const SQLite::Column& column) {
  return column.isNull() ? 0 : column.getInt64();
}

dialogs::Schedule read_schedule(SQLite::Statement& q) {
  dialogs::Schedule s;
  s.id = q.getColumn(0).getInt64();
  const auto kind = dialogs::schedule_kind_from_name(q.getColumn(1).getString());
  if (!kind)
    throw StorageError(StorageError::Code::query_failed,
                       "schedule " + std::to_string(s.id) + " has an unknown kind");
  s.kind = *kind;
  s.person_id = optional_id(q.getColumn(2));
  s.team_id = optional_id(q.getColumn(3));
  s.channel = q.getColumn(4).getString();
  const auto text = q.getColumn(5).getString();
  const auto recurrence = dialogs::parse_recurrence(text);
  if (!recurrence)
    throw StorageError(
        StorageError::Code::query_failed,
        "schedule " + std::to_string(s.id) + " has an unreadable recurrence \"" + text + "\"");
  s.recurrence = *recurrence;
  s.time_zone = q.getColumn(6).getString();
  s.dialog = q.getColumn(7).getString();
  s.team_default = q.getColumn(8).getInt() != 0;
  s.next_due_at = optional_time(q.getColumn(9));
  s.created_by = optional_id(q.getColumn(10));
  s.last_fired_at = optional_time(q.getColumn(11));
  s.state = state_from(q.getColumn(12).getString());
  return s;
}

void bind_id_or_null(SQLite::Statement& q, int index, dialogs::Id id) {
  if (id == 0)
    q.bind(index);
  else
    q.bind(index, id);
}

void bind_time_or_null(SQLite::Statement& q, int index, std::optional<dialogs::TimePoint> t) {
  if (t)
    q.bind(index, static_cast<std::int64_t>(to_unix(*t)));
  else
    q.bind(index);
}

int cycle_months_of(Database& db, dialogs::Id team_id, std::map<dialogs::Id, int>& cache) {
  if (team_id == 0)
    return dialogs::ProgramSettings{}.cycle_months;
  const auto found = cache.find(team_id);
  if (found != cache.end())
    return found->second;
  const auto team = Teams(db).by_id(team_id);
  const int months = team ? team->settings.cycle_months : dialogs::ProgramSettings{}.cycle_months;
  cache.emplace(team_id, months);
  return months;
}

std::vector<dialogs::Schedule> select_schedules(Database& db, const std::string& where,
                                                const std::function<void(SQLite::Statement&)>& bind,
                                                const std::string& what) {
  return guarded(what, [&] {
    auto q = db.statement(std::string("SELECT ") + kColumns + " FROM schedules " + where);
    bind(q);
    std::vector<dialogs::Schedule> out;
    while (q.executeStep())
      out.push_back(read_schedule(q));
    return out;
  });
}

}  // namespace

std::optional<dialogs::TimePoint> next_due_after(const dialogs::Schedule& schedule,
                                                 dialogs::TimePoint after, int cycle_months) {
  const std::string zone =
      dialogs::is_time_zone(schedule.time_zone) ? schedule.time_zone : std::string("UTC");
  if (!std::holds_alternative<dialogs::AtCycleEnd>(schedule.recurrence))
    return dialogs::next_occurrence(schedule.recurrence, zone, after);
  // The occurrence of the cycle containing `after`, or, when that one is already behind us,
  // of the cycle after it.
  const auto current = cycle_containing(after, cycle_months);
  if (auto at = dialogs::next_occurrence(schedule.recurrence, zone, after, current.ends_at))
    return at;
  const auto following = cycle_containing(current.ends_at, cycle_months);
  return dialogs::next_occurrence(schedule.recurrence, zone, after, following.ends_at);
}

dialogs::Schedule Schedules::add(dialogs::Schedule s, dialogs::TimePoint now) {
  return guarded("adding a " + dialogs::schedule_kind_name(s.kind) + " schedule", [&] {
    std::map<dialogs::Id, int> months;
    s.next_due_at = next_due_after(s, now, cycle_months_of(db_, s.team_id, months));
    if (!s.next_due_at && s.state == dialogs::Schedule::State::active)
      s.state = dialogs::Schedule::State::finished;
    auto q = db_.statement("INSERT INTO schedules (kind, person_id, team_id, channel, recurrence, "
                        "time_zone, dialog, team_default, next_due_at, created_by, created_at, "
                        "state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, dialogs::schedule_kind_name(s.kind));
    bind_id_or_null(q, 2, s.person_id);
    bind_id_or_null(q, 3, s.team_id);
    q.bind(4, s.channel);
    q.bind(5, dialogs::recurrence_text(s.recurrence));
    q.bind(6, s.time_zone);
    q.bind(7, s.dialog);
    q.bind(8, s.team_default ? 1 : 0);
    bind_time_or_null(q, 9, s.next_due_at);
    bind_id_or_null(q, 10, s.created_by);
    q.bind(11, static_cast<std::int64_t>(to_unix(now)));
    q.bind(12, state_name(s.state));
    q.exec();
    s.id = db_.handle().getLastInsertRowid();
    return s;
  });
}

std::optional<dialogs::Schedule> Schedules::by_id(dialogs::Id id) {
  auto found = select_schedules(
      db_, "WHERE id = ?", [&](SQLite::Statement& q) { q.bind(1, id); },
      "loading schedule " + std::to_string(id));
  if (found.empty())
    return std::nullopt;
  return found.front();
}

std::vector<dialogs::Schedule> Schedules::reaching(dialogs::Id person_id,
                                                   const std::vector<dialogs::Id>& team_ids) {
  std::string teams;
  for (std::size_t i = 0; i < team_ids.size(); ++i)
    teams += (i == 0 ? "?" : ", ?");
  std::string where = "WHERE state = 'active' AND (person_id = ? OR created_by = ?";
  if (!team_ids.empty())
    where += " OR (person_id IS NULL AND team_id IN (" + teams + "))";
  where += ") ORDER BY next_due_at, id";
  return select_schedules(
      db_, where,
      [&](SQLite::Statement& q) {
        q.bind(1, person_id);
        q.bind(2, person_id);
        int index = 3;
        for (const auto id : team_ids)
          q.bind(index++, id);
      },
      "listing the schedules of person " + std::to_string(person_id));
}

std::vector<dialogs::Schedule> Schedules::of_team(dialogs::Id team_id) {
  return select_schedules(
      db_, "WHERE team_id = ? ORDER BY id", [&](SQLite::Statement& q) { q.bind(1, team_id); },
      "listing the schedules of team " + std::to_string(team_id));
}

bool Schedules::remove(dialogs::Id id) {
  return guarded("removing schedule " + std::to_string(id), [&] {
    auto stop = db_.statement("UPDATE schedules SET state = 'stopped', next_due_at = NULL "
                           "WHERE id = ? AND team_default = 1");
    stop.bind(1, id);
    if (stop.exec() > 0)
      return true;
    auto q = db_.statement("DELETE FROM schedules WHERE id = ?");
    q.bind(1, id);
    return q.exec() > 0;
  });
}

void Schedules::set_next_due(dialogs::Id id, std::optional<dialogs::TimePoint> next_due_at) {
  guarded("moving schedule " + std::to_string(id), [&] {
    auto q = db_.statement("UPDATE schedules SET next_due_at = ? WHERE id = ? AND state = 'active'");
    bind_time_or_null(q, 1, next_due_at);
    q.bind(2, id);
    q.exec();
  });
}

std::optional<dialogs::TimePoint> Schedules::next_due() {
  return guarded("finding the next due schedule", [&] {
    auto q = db_.statement("SELECT min(next_due_at) FROM schedules WHERE state = 'active'");
    if (!q.executeStep())
      return std::optional<dialogs::TimePoint>{};
    return optional_time(q.getColumn(0));
  });
}

ClaimReport Schedules::claim_due(dialogs::TimePoint now, std::chrono::seconds max_catch_up,
                                 std::size_t limit, const ComposeFiring& compose,
                                 const PrepareFirings& prepare) {
  return guarded("claiming due schedules", [&] {
    // IMMEDIATE: two scheduler passes (serve and a cron `tick`) never both see a row as due.
    SQLite::Transaction tx(db_.handle(), SQLite::TransactionBehavior::IMMEDIATE);
    ClaimReport report;
    std::vector<dialogs::Schedule> due;
    {
      auto q = db_.statement(std::string("SELECT ") + kColumns +
                                            " FROM schedules WHERE state = 'active' AND "
                                            "next_due_at <= ? ORDER BY next_due_at, id LIMIT ?");
      q.bind(1, static_cast<std::int64_t>(to_unix(now)));
      q.bind(2, static_cast<std::int64_t>(limit) + 1);
      while (q.executeStep())
        due.push_back(read_schedule(q));
    }
    if (due.size() > limit) {
      report.more = true;
      due.resize(limit);
    }
    if (prepare) {
      std::vector<dialogs::Schedule> firing;
      for (const auto& schedule : due) {
        if (now - *schedule.next_due_at < max_catch_up)
          firing.push_back(schedule);
      }
      prepare(firing);
    }
    Outbox outbox(db_);
    std::map<dialogs::Id, int> months;
    // A claimed row is active (selected so in this IMMEDIATE transaction), so moving it on
    // leaves `state` alone: assigning it would make SQLite evaluate the state CHECK for nothing
    // (an IN list built as a temporary b-tree on every execution until migration 11).
    auto advance = db_.statement("UPDATE schedules SET next_due_at = ?, "
                                 "last_fired_at = coalesce(?, last_fired_at) WHERE id = ?");
    auto finish = db_.statement("UPDATE schedules SET next_due_at = NULL, state = 'finished', "
                                "last_fired_at = coalesce(?, last_fired_at) WHERE id = ?");
    for (const auto& schedule : due) {
      const auto at = *schedule.next_due_at;
      std::optional<dialogs::TimePoint> fired_at;
      if (now - at < max_catch_up) {
        for (const auto& item : compose(schedule, at)) {
          outbox.enqueue(item, now);
          ++report.messages;
        }
        ++report.fired;
        fired_at = now;
      } else {
        report.skipped.push_back({schedule.id, at});
      }
      const auto next =
          next_due_after(schedule, now, cycle_months_of(db_, schedule.team_id, months));
      auto& move = next ? advance : finish;
      move.reset();
      move.clearBindings();
      int index = 1;
      if (next)
        bind_time_or_null(move, index++, next);
      bind_time_or_null(move, index++, fired_at);
      move.bind(index, schedule.id);
      move.exec();
    }
    tx.commit();
    return report;
  });
}

}  // namespace okr::storage
