#include "storage/digest_source.hpp"

#include <algorithm>
#include <tuple>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/codec.hpp"
#include "storage/cycles.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"
#include "storage/memberships.hpp"
#include "storage/rows.hpp"
#include "storage/teams.hpp"

namespace okr::storage {
namespace {

using dialogs::Id;

std::optional<dialogs::Cycle> stored_cycle(Database& db, Id team_id, dialogs::TimePoint at) {
  auto q = db.statement("SELECT id, label, starts_at, ends_at FROM cycles "
                      "WHERE coalesce(team_id, 0) = ? AND starts_at <= ? AND ends_at > ? ORDER BY starts_at DESC LIMIT 1");
  q.bind(1, team_id);
  q.bind(2, to_unix(at));
  q.bind(3, to_unix(at));
  if (!q.executeStep())
    return std::nullopt;
  dialogs::Cycle c;
  c.id = q.getColumn(0).getInt64();
  c.team_id = team_id;
  c.label = q.getColumn(1).getString();
  c.starts_at = from_unix(q.getColumn(2).getInt64());
  c.ends_at = from_unix(q.getColumn(3).getInt64());
  return c;
}


std::vector<dialogs::Objective> objectives_with_key_results(Database& db, Id team_id, Id cycle_id) {
  auto q = db.statement("SELECT o.id, o.person_id, o.text, o.why, o.created_at, k.id, k.objective_id, k.position, "
                      "k.text, k.kind, k.baseline, k.target, k.unit, k.direction, k.current, k.deadline "
                      "FROM objectives o LEFT JOIN key_results k ON k.objective_id = o.id "
                      "WHERE o.team_id = ? AND o.cycle_id = ? ORDER BY o.created_at, o.id, k.position");
  q.bind(1, team_id);
  q.bind(2, cycle_id);
  std::vector<dialogs::Objective> out;
  while (q.executeStep()) {
    const Id id = q.getColumn(0).getInt64();
    if (out.empty() || out.back().id != id) {
      dialogs::Objective o;
      o.id = id;
      o.person_id = q.getColumn(1).getInt64();
      o.team_id = team_id;
      o.cycle_id = cycle_id;
      o.text = q.getColumn(2).getString();
      o.why = q.getColumn(3).getString();
      o.created_at = from_unix(q.getColumn(4).getInt64());
      out.push_back(std::move(o));
    }
    if (q.getColumn(5).isNull())
      continue;  // an objective without key results yet
    out.back().key_results.push_back(read_key_result(q, 5));  // the same columns, k. prefixed
  }
  return out;
}

bool earlier(const dialogs::CheckIn& a, const dialogs::CheckIn& b) {
  return std::tie(a.key_result_id, a.at, a.id) < std::tie(b.key_result_id, b.at, b.id);
}

// Only what a digest shows: value, confidence and blockers. What helped and the next focus stay
// in the person's own check-in.
//
// In key result, time and id order. The query walks check_ins_by_key_result (key_result_id, at,
// then rowid) once per key result, so each key result's rows already come in time and id order,
// and the key results in id order whenever they were created in position order (the usual
// case). An ORDER BY here made SQLite copy every row into a sorter and read it back, about half
// of a digest's loading; now the rows are only checked, and sorted when a plan or an edited
// objective delivers them otherwise.
std::vector<dialogs::CheckIn> check_ins_before(Database& db, Id team_id, Id cycle_id, dialogs::TimePoint end) {
  auto q = db.statement("SELECT c.id, c.key_result_id, c.person_id, c.value, c.confidence, c.blockers, c.at "
                      "FROM objectives o JOIN key_results k ON k.objective_id = o.id "
                      "JOIN check_ins c ON c.key_result_id = k.id "
                      "WHERE o.team_id = ? AND o.cycle_id = ? AND c.at < ?");
  q.bind(1, team_id);
  q.bind(2, cycle_id);
  q.bind(3, to_unix(end));
  std::vector<dialogs::CheckIn> out;
  while (q.executeStep()) {
    dialogs::CheckIn c;
    c.id = q.getColumn(0).getInt64();
    c.key_result_id = q.getColumn(1).getInt64();
    c.person_id = q.getColumn(2).getInt64();
    c.value = q.getColumn(3).getDouble();
    c.confidence = q.getColumn(4).getInt();
    c.blockers = q.getColumn(5).getString();
    c.at = from_unix(q.getColumn(6).getInt64());
    out.push_back(std::move(c));
  }
  if (!std::is_sorted(out.begin(), out.end(), earlier))
    std::sort(out.begin(), out.end(), earlier);
  return out;
}

std::vector<dialogs::Person> objective_owners(Database& db, Id team_id, Id cycle_id) {
  auto q = db.statement(std::string("SELECT ") + kPersonColumns + " FROM people WHERE id IN "
                      "(SELECT person_id FROM objectives WHERE team_id = ? AND cycle_id = ?) ORDER BY id");
  q.bind(1, team_id);
  q.bind(2, cycle_id);
  std::vector<dialogs::Person> out;
  while (q.executeStep()) {
    out.push_back(read_person(q));
  }
  return out;
}

// Any check-in counts, whichever key result it was for: the question is whether the person did
// the weekly ritual, not which of their OKRs they updated.
std::vector<Id> members_who_checked_in(Database& db, Id team_id, const dialogs::WeekBounds& week) {
  auto q = db.statement("SELECT DISTINCT m.person_id FROM memberships m "
                      "JOIN check_ins c ON c.person_id = m.person_id AND c.at >= ? AND c.at < ? "
                      "WHERE m.team_id = ? AND m.role = 'member' ORDER BY m.person_id");
  q.bind(1, to_unix(week.starts_at));
  q.bind(2, to_unix(week.ends_at));
  q.bind(3, team_id);
  std::vector<Id> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
  return out;
}

}  // namespace

std::optional<dialogs::DigestSource> load_digest_source(Database& db, dialogs::Id team_id, const dialogs::IsoWeek& week,
                                                        dialogs::TimePoint generated_at) {
  auto team = Teams(db).by_id(team_id);
  if (!team)
    return std::nullopt;
  return guarded("loading the digest of team " + std::to_string(team_id) + " for " + dialogs::to_string(week), [&] {
    dialogs::DigestSource source;
    source.team = *team;
    source.week = week;
    source.bounds = dialogs::bounds_of(week, team->settings.time_zone);
    source.generated_at = generated_at;
    const auto thursday = source.bounds.starts_at + std::chrono::hours{3 * 24 + 12};
    if (auto cycle = stored_cycle(db, team_id, thursday)) {
      source.cycle = *cycle;
      source.objectives = objectives_with_key_results(db, team_id, cycle->id);
      source.check_ins = check_ins_before(db, team_id, cycle->id, source.bounds.ends_at);
      source.owners = objective_owners(db, team_id, cycle->id);
    } else {
      source.cycle = cycle_containing(thursday, team->settings.cycle_months);
      source.cycle.team_id = team_id;
    }
    for (auto& m : Memberships(db).members(team_id))
      source.members.push_back(dialogs::DigestMember{std::move(m.person), std::move(m.roles), m.joined_at});
    source.checked_in_this_week = members_who_checked_in(db, team_id, source.bounds);
    return source;
  });
}

}  // namespace okr::storage
