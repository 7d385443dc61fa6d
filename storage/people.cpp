#include "storage/people.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"
#include "storage/rows.hpp"

namespace okr::storage {
namespace {

constexpr const char* kColumns = kPersonColumns;

std::string identity_of(const std::string& platform, const std::string& workspace,
                        const std::string& user_ref) {
  return platform + "/" + workspace + "/" + user_ref;
}

}  // namespace

dialogs::Person People::find_or_create(const dialogs::Person& identity) {
  return guarded("finding or creating person " + identity_of(identity.platform, identity.workspace, identity.user_ref), [&] {
    // Nearly every call is for someone already stored (each inbound event asks): a read first
    // spares them an INSERT, which even when it inserts nothing takes the write lock and
    // commits. Two first messages racing both reach the INSERT below, which keeps one row.
    if (auto existing = find(identity.platform, identity.workspace, identity.user_ref))
      return *existing;
    auto insert = db_.statement("INSERT INTO people (platform, workspace, user_ref, display_name, time_zone) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, user_ref) DO NOTHING");
    insert.bind(1, identity.platform);
    insert.bind(2, identity.workspace);
    insert.bind(3, identity.user_ref);
    insert.bind(4, identity.display_name.empty() ? identity.user_ref : identity.display_name);
    insert.bind(5, identity.time_zone.empty() ? std::string("UTC") : identity.time_zone);
    insert.exec();
    auto found = find(identity.platform, identity.workspace, identity.user_ref);
    if (!found) {
      throw StorageError(StorageError::Code::query_failed, "person vanished right after being stored");
    }
    return *found;
  });
}

std::optional<dialogs::Person> People::find(const std::string& platform, const std::string& workspace,
                                            const std::string& user_ref) {
  return guarded("looking up person " + identity_of(platform, workspace, user_ref), [&] {
    auto q = db_.statement(std::string("SELECT ") + kColumns +
                                          " FROM people WHERE platform = ? AND workspace = ? AND user_ref = ?");
    q.bind(1, platform);
    q.bind(2, workspace);
    q.bind(3, user_ref);
    return q.executeStep() ? std::optional(read_person(q)) : std::nullopt;
  });
}

std::optional<dialogs::Person> People::by_id(dialogs::Id id) {
  return guarded("loading person " + std::to_string(id), [&] {
    auto q = db_.statement(std::string("SELECT ") + kColumns + " FROM people WHERE id = ?");
    q.bind(1, id);
    return q.executeStep() ? std::optional(read_person(q)) : std::nullopt;
  });
}

std::map<dialogs::Id, dialogs::Person> People::by_ids(const std::vector<dialogs::Id>& ids) {
  return guarded("loading " + std::to_string(ids.size()) + " people", [&] {
    std::map<dialogs::Id, dialogs::Person> out;
    if (ids.empty())
      return out;
    // One statement whatever the count: the ids travel as one JSON array (no SQL text built
    // per batch, so the prepared statement is reused and no variable limit applies).
    std::string list = "[";
    for (const auto id : ids) {
      if (list.size() > 1)
        list += ',';
      list += std::to_string(id);
    }
    list += ']';
    auto q = db_.statement(std::string("SELECT ") + kColumns +
                           " FROM people WHERE id IN (SELECT value FROM json_each(?))");
    q.bind(1, list);
    while (q.executeStep()) {
      auto person = read_person(q);
      const auto id = person.id;
      out.emplace(id, std::move(person));
    }
    return out;
  });
}

void People::update_profile(dialogs::Id id, const std::string& display_name, const std::string& time_zone) {
  guarded("updating profile of person " + std::to_string(id), [&] {
    auto q = db_.statement("UPDATE people SET display_name = ?, time_zone = ? WHERE id = ?");
    q.bind(1, display_name);
    q.bind(2, time_zone);
    q.bind(3, id);
    if (q.exec() == 0) throw StorageError(StorageError::Code::not_found, "no person " + std::to_string(id));
  });
}

}  // namespace okr::storage
