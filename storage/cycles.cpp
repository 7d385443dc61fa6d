#include "storage/cycles.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <date/date.h>

#include <cstdio>

#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"

namespace okr::storage {
namespace {

dialogs::TimePoint month_start(long month_index) {
  const auto y = date::year{static_cast<int>(month_index / 12)};
  const auto m = date::month{static_cast<unsigned>(month_index % 12 + 1)};
  return dialogs::TimePoint{date::sys_days{y / m / 1}.time_since_epoch()};
}

std::string month_label(long month_index) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04ld-%02ld", month_index / 12, month_index % 12 + 1);
  return buf;
}

std::string label_for(long first_month, int months) {
  const long year = first_month / 12;
  const long in_year = first_month % 12;
  if (months == 12) return std::to_string(year);
  if (months == 6) return std::to_string(year) + "-H" + std::to_string(in_year / 6 + 1);
  if (months == 3) return std::to_string(year) + "-Q" + std::to_string(in_year / 3 + 1);
  if (months == 1) return month_label(first_month);
  return month_label(first_month) + ".." + month_label(first_month + months - 1);
}

dialogs::Cycle read_cycle(SQLite::Statement& q) {
  dialogs::Cycle c;
  c.id = q.getColumn(0).getInt64();
  c.team_id = q.getColumn(1).isNull() ? 0 : q.getColumn(1).getInt64();
  c.label = q.getColumn(2).getString();
  c.starts_at = from_unix(q.getColumn(3).getInt64());
  c.ends_at = from_unix(q.getColumn(4).getInt64());
  return c;
}

void bind_team(SQLite::Statement& q, int index, dialogs::Id team_id) {
  if (team_id == 0) {
    q.bind(index);  // NULL: a personal cycle
  } else {
    q.bind(index, team_id);
  }
}

}  // namespace

dialogs::Cycle cycle_containing(dialogs::TimePoint at, int cycle_months) {
  const int months = cycle_months > 0 && cycle_months <= 120 ? cycle_months : 3;
  const date::year_month_day ymd{date::floor<date::days>(at)};
  const long index = static_cast<long>(static_cast<int>(ymd.year())) * 12 +
                     static_cast<long>(static_cast<unsigned>(ymd.month())) - 1;
  const long first = index - index % months;
  dialogs::Cycle c;
  c.label = label_for(first, months);
  c.starts_at = month_start(first);
  c.ends_at = month_start(first + months);
  return c;
}

dialogs::Cycle Cycles::current(dialogs::Id team_id, const dialogs::ProgramSettings& settings, dialogs::TimePoint at) {
  auto wanted = cycle_containing(at, settings.cycle_months);
  wanted.team_id = team_id;
  return guarded("finding or creating cycle " + wanted.label + " of team " + std::to_string(team_id), [&] {
    // A cycle already stored that contains `at` wins, even if the team's cycle length changed
    // since: objectives stay attached to the cycle they were drafted in.
    auto stored = [&]() -> std::optional<dialogs::Cycle> {
      auto q = db_.statement("SELECT id, team_id, label, starts_at, ends_at FROM cycles "
                          "WHERE coalesce(team_id, 0) = ? AND starts_at <= ? AND ? < ends_at "
                          "ORDER BY starts_at DESC LIMIT 1");
      q.bind(1, team_id);
      q.bind(2, to_unix(at));
      q.bind(3, to_unix(at));
      return q.executeStep() ? std::optional(read_cycle(q)) : std::nullopt;
    };
    if (auto found = stored()) return *found;

    // Another connection (a turn of someone else on the same team) may create the same cycle
    // between our look-up and this insert: the unique index makes that a no-op, and the second
    // look-up finds whichever row won.
    auto insert = db_.statement("INSERT INTO cycles (team_id, label, starts_at, ends_at) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT DO NOTHING");
    bind_team(insert, 1, team_id);
    insert.bind(2, wanted.label);
    insert.bind(3, to_unix(wanted.starts_at));
    insert.bind(4, to_unix(wanted.ends_at));
    insert.exec();
    if (auto found = stored()) return *found;
    throw StorageError(StorageError::Code::query_failed, "cycle vanished right after being stored");
  });
}

std::optional<dialogs::Cycle> Cycles::by_id(dialogs::Id id) {
  return guarded("loading cycle " + std::to_string(id), [&] {
    auto q = db_.statement("SELECT id, team_id, label, starts_at, ends_at FROM cycles WHERE id = ?");
    q.bind(1, id);
    return q.executeStep() ? std::optional(read_cycle(q)) : std::nullopt;
  });
}

std::optional<dialogs::Cycle> Cycles::previous(dialogs::Id team_id, dialogs::TimePoint before) {
  return guarded("finding the previous cycle of team " + std::to_string(team_id), [&] {
    auto q = db_.statement("SELECT id, team_id, label, starts_at, ends_at FROM cycles "
                        "WHERE coalesce(team_id, 0) = ? AND ends_at <= ? ORDER BY ends_at DESC LIMIT 1");
    q.bind(1, team_id);
    q.bind(2, to_unix(before));
    return q.executeStep() ? std::optional(read_cycle(q)) : std::nullopt;
  });
}

}  // namespace okr::storage
