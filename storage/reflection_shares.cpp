#include "storage/reflection_shares.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"
#include "storage/write_scope.hpp"

namespace okr::storage {

bool ReflectionShares::share(dialogs::Id reflection_id, dialogs::Id coach_id,
                             dialogs::TimePoint at) {
  return guarded("sharing reflection " + std::to_string(reflection_id) + " with person " +
                     std::to_string(coach_id),
                 [&] {
                   auto& db = db_.handle();
                   WriteScope scope(db);
                   auto insert = db_.statement("INSERT INTO reflection_shares (reflection_id, coach_id, shared_at) "
                       "VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
                   insert.bind(1, reflection_id);
                   insert.bind(2, coach_id);
                   insert.bind(3, to_unix(at));
                   const bool fresh = insert.exec() > 0;
                   auto mark = db_.statement("UPDATE reflections SET shared_with_coach = 1 WHERE id = ?");
                   mark.bind(1, reflection_id);
                   mark.exec();
                   scope.commit();
                   return fresh;
                 });
}

std::vector<dialogs::Reflection> ReflectionShares::readable_by(dialogs::Id viewer_id) {
  return guarded("loading the reflections person " + std::to_string(viewer_id) + " may read",
                 [&] {
                   auto q = db_.statement("SELECT id, person_id, coalesce(cycle_id, 0), learned, went_well, "
                       "do_differently, stop_habit, carry_forward, shared_with_coach, at "
                       "FROM reflections r WHERE r.person_id = ?1 OR EXISTS (SELECT 1 FROM "
                       "reflection_shares s WHERE s.reflection_id = r.id AND s.coach_id = ?1) "
                       "ORDER BY at DESC, id DESC");
                   q.bind(1, viewer_id);
                   std::vector<dialogs::Reflection> out;
                   while (q.executeStep()) {
                     dialogs::Reflection r;
                     r.id = q.getColumn(0).getInt64();
                     r.person_id = q.getColumn(1).getInt64();
                     r.cycle_id = q.getColumn(2).getInt64();
                     r.learned = q.getColumn(3).getString();
                     r.went_well = q.getColumn(4).getString();
                     r.do_differently = q.getColumn(5).getString();
                     r.stop_habit = q.getColumn(6).getString();
                     r.carry_forward = q.getColumn(7).getString();
                     r.shared_with_coach = q.getColumn(8).getInt() != 0;
                     r.at = from_unix(q.getColumn(9).getInt64());
                     out.push_back(std::move(r));
                   }
                   return out;
                 });
}

}  // namespace okr::storage
