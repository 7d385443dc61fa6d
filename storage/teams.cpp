#include "storage/teams.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"
#include "storage/settings_json.hpp"

namespace okr::storage {
namespace {

dialogs::Team read_team(SQLite::Statement& q) {
  dialogs::Team t;
  t.id = q.getColumn(0).getInt64();
  t.name = q.getColumn(1).getString();
  t.settings = settings_from_json(q.getColumn(2).getString());
  return t;
}

}  // namespace

dialogs::Team Teams::find_or_create(const std::string& name) {
  return guarded("finding or creating team '" + name + "'", [&] {
    auto insert = db_.statement("INSERT INTO teams (name, settings) VALUES (?, ?) ON CONFLICT (name) DO NOTHING");
    insert.bind(1, name);
    insert.bind(2, settings_to_json(dialogs::ProgramSettings{}));
    insert.exec();
    auto found = by_name(name);
    if (!found) throw StorageError(StorageError::Code::query_failed, "team vanished right after being stored");
    return *found;
  });
}

std::optional<dialogs::Team> Teams::by_name(const std::string& name) {
  return guarded("looking up team '" + name + "'", [&] {
    auto q = db_.statement("SELECT id, name, settings FROM teams WHERE name = ?");
    q.bind(1, name);
    return q.executeStep() ? std::optional(read_team(q)) : std::nullopt;
  });
}

std::optional<dialogs::Team> Teams::by_id(dialogs::Id id) {
  return guarded("loading team " + std::to_string(id), [&] {
    auto q = db_.statement("SELECT id, name, settings FROM teams WHERE id = ?");
    q.bind(1, id);
    return q.executeStep() ? std::optional(read_team(q)) : std::nullopt;
  });
}

void Teams::save_settings(dialogs::Id team_id, const dialogs::ProgramSettings& settings) {
  guarded("saving settings of team " + std::to_string(team_id), [&] {
    auto q = db_.statement("UPDATE teams SET settings = ? WHERE id = ?");
    q.bind(1, settings_to_json(settings));
    q.bind(2, team_id);
    if (q.exec() == 0) throw StorageError(StorageError::Code::not_found, "no team " + std::to_string(team_id));
  });
}

}  // namespace okr::storage
