#include "storage/dialog_instances.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"

namespace okr::storage {
namespace {

std::string where(dialogs::Id person_id, const std::string& conversation) {
  return "person " + std::to_string(person_id) + " in conversation '" + conversation + "'";
}

}  // namespace

std::optional<StoredDialog> DialogInstances::active(dialogs::Id person_id, const std::string& conversation) {
  return guarded("loading the active dialog of " + where(person_id, conversation), [&] {
    auto q = db_.statement("SELECT dialog, definition_version, state, updated_at FROM dialog_instances "
                        "WHERE person_id = ? AND conversation = ?");
    q.bind(1, person_id);
    q.bind(2, conversation);
    if (!q.executeStep()) return std::optional<StoredDialog>{};
    StoredDialog d;
    d.dialog = q.getColumn(0).getString();
    d.definition_version = q.getColumn(1).getInt();
    d.state = q.getColumn(2).getString();
    d.updated_at = from_unix(q.getColumn(3).getInt64());
    return std::optional(std::move(d));
  });
}

void DialogInstances::save(dialogs::Id person_id, const std::string& conversation, const StoredDialog& d) {
  guarded("saving the " + d.dialog + " dialog of " + where(person_id, conversation), [&] {
    auto q = db_.statement("INSERT INTO dialog_instances (person_id, conversation, dialog, definition_version, state, "
                        "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (person_id, conversation) DO UPDATE SET "
                        "dialog = excluded.dialog, definition_version = excluded.definition_version, "
                        "state = excluded.state, updated_at = excluded.updated_at");
    q.bind(1, person_id);
    q.bind(2, conversation);
    q.bind(3, d.dialog);
    q.bind(4, d.definition_version);
    q.bind(5, d.state);
    q.bind(6, to_unix(d.updated_at));
    q.exec();
  });
}

void DialogInstances::finish(dialogs::Id person_id, const std::string& conversation) {
  guarded("closing the dialog of " + where(person_id, conversation), [&] {
    auto q = db_.statement("DELETE FROM dialog_instances WHERE person_id = ? AND conversation = ?");
    q.bind(1, person_id);
    q.bind(2, conversation);
    q.exec();
  });
}

}  // namespace okr::storage
