#include "storage/reflections.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"
#include "storage/write_scope.hpp"

namespace okr::storage {

dialogs::Reflection Reflections::add(dialogs::Reflection r) {
  return guarded("saving a reflection of person " + std::to_string(r.person_id), [&] {
    auto& db = db_.handle();
    WriteScope scope(db);
    auto insert = db_.statement("INSERT INTO reflections (person_id, cycle_id, learned, went_well, do_differently, "
                             "stop_habit, carry_forward, shared_with_coach, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, r.person_id);
    if (r.cycle_id == 0) {
      insert.bind(2);
    } else {
      insert.bind(2, r.cycle_id);
    }
    insert.bind(3, r.learned);
    insert.bind(4, r.went_well);
    insert.bind(5, r.do_differently);
    insert.bind(6, r.stop_habit);
    insert.bind(7, r.carry_forward);
    insert.bind(8, r.shared_with_coach ? 1 : 0);
    insert.bind(9, to_unix(r.at));
    insert.exec();
    r.id = db.getLastInsertRowid();

    auto score = db_.statement("INSERT INTO reflection_scores (reflection_id, key_result_id, score) VALUES (?, ?, ?)");
    for (const auto& [key_result_id, value] : r.scores) {
      score.reset();
      score.bind(1, r.id);
      score.bind(2, key_result_id);
      score.bind(3, value);
      score.exec();
    }
    scope.commit();
    return r;
  });
}

std::optional<dialogs::Reflection> Reflections::latest(dialogs::Id person_id) {
  return guarded("loading the latest reflection of person " + std::to_string(person_id), [&] {
    auto q = db_.statement("SELECT id, person_id, cycle_id, learned, went_well, do_differently, stop_habit, "
                        "carry_forward, shared_with_coach, at FROM reflections WHERE person_id = ? "
                        "ORDER BY at DESC, id DESC LIMIT 1");
    q.bind(1, person_id);
    if (!q.executeStep()) return std::optional<dialogs::Reflection>{};
    dialogs::Reflection r;
    r.id = q.getColumn(0).getInt64();
    r.person_id = q.getColumn(1).getInt64();
    r.cycle_id = q.getColumn(2).isNull() ? 0 : q.getColumn(2).getInt64();
    r.learned = q.getColumn(3).getString();
    r.went_well = q.getColumn(4).getString();
    r.do_differently = q.getColumn(5).getString();
    r.stop_habit = q.getColumn(6).getString();
    r.carry_forward = q.getColumn(7).getString();
    r.shared_with_coach = q.getColumn(8).getInt() != 0;
    r.at = from_unix(q.getColumn(9).getInt64());

    auto scores = db_.statement("SELECT s.key_result_id, s.score FROM reflection_scores s "
                             "JOIN key_results k ON k.id = s.key_result_id "
                             "WHERE s.reflection_id = ? ORDER BY k.objective_id, k.position");
    scores.bind(1, r.id);
    while (scores.executeStep()) r.scores.emplace_back(scores.getColumn(0).getInt64(), scores.getColumn(1).getDouble());
    return std::optional(std::move(r));
  });
}

}  // namespace okr::storage
