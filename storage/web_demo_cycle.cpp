#include "storage/web_demo_cycle.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"

namespace okr::storage {

dialogs::Cycle add_team_cycle(Database& db, dialogs::Id team_id, const std::string& label,
                              dialogs::TimePoint starts_at, dialogs::TimePoint ends_at) {
  return guarded("storing cycle " + label + " of team " + std::to_string(team_id), [&] {
    auto insert = db.statement("INSERT INTO cycles (team_id, label, starts_at, ends_at) "
                             "VALUES (?, ?, ?, ?)");
    insert.bind(1, team_id);
    insert.bind(2, label);
    insert.bind(3, to_unix(starts_at));
    insert.bind(4, to_unix(ends_at));
    insert.exec();
    dialogs::Cycle cycle;
    cycle.id = db.handle().getLastInsertRowid();
    cycle.team_id = team_id;
    cycle.label = label;
    cycle.starts_at = starts_at;
    cycle.ends_at = ends_at;
    return cycle;
  });
}

}  // namespace okr::storage
