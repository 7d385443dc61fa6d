#include "storage/objectives.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"
#include "storage/rows.hpp"
#include "storage/write_scope.hpp"

namespace okr::storage {
namespace {

constexpr const char* kObjectiveColumns =
    "id, person_id, team_id, cycle_id, text, why, obstacles, support, parent, created_at";

void bind_optional(SQLite::Statement& q, int index, const std::optional<double>& v) {
  if (v) {
    q.bind(index, *v);
  } else {
    q.bind(index);
  }
}


dialogs::Objective read_objective(SQLite::Statement& q) {
  dialogs::Objective o;
  o.id = q.getColumn(0).getInt64();
  o.person_id = q.getColumn(1).getInt64();
  o.team_id = q.getColumn(2).isNull() ? 0 : q.getColumn(2).getInt64();
  o.cycle_id = q.getColumn(3).getInt64();
  o.text = q.getColumn(4).getString();
  o.why = q.getColumn(5).getString();
  o.obstacles = q.getColumn(6).getString();
  o.support = q.getColumn(7).getString();
  o.parent = q.getColumn(8).getString();
  o.created_at = from_unix(q.getColumn(9).getInt64());
  return o;
}

std::vector<dialogs::KeyResult> key_results_of(Database& db, dialogs::Id objective_id) {
  auto q = db.statement(std::string("SELECT ") + kKeyResultColumns +
                              " FROM key_results WHERE objective_id = ? ORDER BY position");
  q.bind(1, objective_id);
  std::vector<dialogs::KeyResult> out;
  while (q.executeStep()) out.push_back(read_key_result(q));
  return out;
}

}  // namespace

dialogs::Objective Objectives::add(dialogs::Objective o) {
  return guarded("saving objective '" + o.text + "' of person " + std::to_string(o.person_id), [&] {
    auto& db = db_.handle();
    WriteScope scope(db);
    auto insert = db_.statement("INSERT INTO objectives (person_id, team_id, cycle_id, text, why, obstacles, "
                             "support, parent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, o.person_id);
    if (o.team_id == 0) {
      insert.bind(2);
    } else {
      insert.bind(2, o.team_id);
    }
    insert.bind(3, o.cycle_id);
    insert.bind(4, o.text);
    insert.bind(5, o.why);
    insert.bind(6, o.obstacles);
    insert.bind(7, o.support);
    insert.bind(8, o.parent);
    insert.bind(9, to_unix(o.created_at));
    insert.exec();
    o.id = db.getLastInsertRowid();

    auto kr_insert = db_.statement("INSERT INTO key_results (objective_id, position, text, kind, baseline, target, "
                                "unit, direction, current, deadline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    int position = 0;
    for (auto& kr : o.key_results) {
      kr.objective_id = o.id;
      kr.position = position++;
      kr_insert->reset();
      kr_insert->clearBindings();
      kr_insert.bind(1, kr.objective_id);
      kr_insert.bind(2, kr.position);
      kr_insert.bind(3, kr.text);
      kr_insert.bind(4, kind_name(kr.kind));
      bind_optional(kr_insert, 5, kr.baseline);
      bind_optional(kr_insert, 6, kr.target);
      kr_insert.bind(7, kr.unit);
      kr_insert.bind(8, direction_name(kr.direction));
      bind_optional(kr_insert, 9, kr.current);
      if (kr.deadline) {
        kr_insert.bind(10, *kr.deadline);
      } else {
        kr_insert.bind(10);
      }
      kr_insert.exec();
      kr.id = db.getLastInsertRowid();
    }
    scope.commit();
    return o;
  });
}

std::optional<dialogs::Objective> Objectives::by_id(dialogs::Id id) {
  auto found = load_where("id = ?", {id});
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<dialogs::Objective> Objectives::of_person(dialogs::Id person_id, dialogs::Id cycle_id) {
  return load_where("person_id = ? AND cycle_id = ?", {person_id, cycle_id});
}

std::vector<dialogs::Objective> Objectives::of_team(dialogs::Id team_id, dialogs::Id cycle_id) {
  return load_where("team_id = ? AND cycle_id = ?", {team_id, cycle_id});
}

std::vector<dialogs::Objective> Objectives::load_where(const char* where, std::initializer_list<dialogs::Id> values) {
  return guarded(std::string("loading objectives where ") + where, [&] {
    // `where` is always a fixed fragment from this file; values are always bound.
    auto q = db_.statement(std::string("SELECT ") + kObjectiveColumns + " FROM objectives WHERE " + where +
                                " ORDER BY created_at, id");
    int index = 1;
    for (auto v : values) q.bind(index++, v);
    std::vector<dialogs::Objective> out;
    while (q.executeStep()) out.push_back(read_objective(q));
    for (auto& o : out) o.key_results = key_results_of(db_, o.id);
    return out;
  });
}

std::optional<dialogs::KeyResult> Objectives::key_result(dialogs::Id key_result_id) {
  return guarded("loading key result " + std::to_string(key_result_id), [&] {
    auto q = db_.statement(std::string("SELECT ") + kKeyResultColumns + " FROM key_results WHERE id = ?");
    q.bind(1, key_result_id);
    return q.executeStep() ? std::optional(read_key_result(q)) : std::nullopt;
  });
}

}  // namespace okr::storage
