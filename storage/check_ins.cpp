#include "storage/check_ins.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"
#include "storage/write_scope.hpp"

namespace okr::storage {
namespace {

constexpr const char* kColumns =
    "SELECT id, key_result_id, person_id, value, confidence, helped, blockers, next_focus, at FROM check_ins ";

dialogs::CheckIn read_check_in(SQLite::Statement& q) {
  dialogs::CheckIn c;
  c.id = q.getColumn(0).getInt64();
  c.key_result_id = q.getColumn(1).getInt64();
  c.person_id = q.getColumn(2).getInt64();
  c.value = q.getColumn(3).getDouble();
  c.confidence = q.getColumn(4).getInt();
  c.helped = q.getColumn(5).getString();
  c.blockers = q.getColumn(6).getString();
  c.next_focus = q.getColumn(7).getString();
  c.at = from_unix(q.getColumn(8).getInt64());
  return c;
}

}  // namespace

dialogs::CheckIn CheckIns::record(dialogs::CheckIn c) {
  return guarded("recording a check-in on key result " + std::to_string(c.key_result_id), [&] {
    auto& db = db_.handle();
    WriteScope scope(db);
    auto insert = db_.statement("INSERT INTO check_ins (key_result_id, person_id, value, confidence, helped, "
                             "blockers, next_focus, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, c.key_result_id);
    insert.bind(2, c.person_id);
    insert.bind(3, c.value);
    insert.bind(4, c.confidence);
    insert.bind(5, c.helped);
    insert.bind(6, c.blockers);
    insert.bind(7, c.next_focus);
    insert.bind(8, to_unix(c.at));
    insert.exec();
    c.id = db.getLastInsertRowid();

    auto update = db_.statement("UPDATE key_results SET current = ? WHERE id = ?");
    update.bind(1, c.value);
    update.bind(2, c.key_result_id);
    update.exec();
    scope.commit();
    return c;
  });
}

std::optional<dialogs::CheckIn> CheckIns::latest(dialogs::Id key_result_id) {
  auto found = history(key_result_id, 1);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<dialogs::CheckIn> CheckIns::history(dialogs::Id key_result_id, int limit) {
  return guarded("loading check-ins of key result " + std::to_string(key_result_id), [&] {
    auto q = db_.statement(std::string(kColumns) + "WHERE key_result_id = ? ORDER BY at DESC, id DESC LIMIT ?");
    q.bind(1, key_result_id);
    q.bind(2, limit);
    std::vector<dialogs::CheckIn> out;
    while (q.executeStep()) out.push_back(read_check_in(q));
    return out;
  });
}

std::vector<dialogs::CheckIn> CheckIns::of_person_since(dialogs::Id person_id, dialogs::TimePoint since) {
  return guarded("loading check-ins of person " + std::to_string(person_id), [&] {
    auto q = db_.statement(std::string(kColumns) + "WHERE person_id = ? AND at >= ? ORDER BY at DESC, id DESC");
    q.bind(1, person_id);
    q.bind(2, to_unix(since));
    std::vector<dialogs::CheckIn> out;
    while (q.executeStep()) out.push_back(read_check_in(q));
    return out;
  });
}

}  // namespace okr::storage
