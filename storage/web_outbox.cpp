#include "storage/web_outbox.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"

namespace okr::storage {

std::vector<dialogs::Id> deliverable_outbox_rows(Database& db, const std::string& platform,
                                                 dialogs::TimePoint now, std::size_t limit) {
  return guarded("listing the " + platform + " outbox", [&] {
    auto q = db.statement("SELECT id FROM outbox WHERE platform = ? AND status = 'pending' "
                        "AND (attempts = 0 OR next_attempt_at <= ?) ORDER BY id LIMIT ?");
    q.bind(1, platform);
    q.bind(2, to_unix(now));
    q.bind(3, static_cast<std::int64_t>(limit));
    std::vector<dialogs::Id> ids;
    while (q.executeStep())
      ids.push_back(q.getColumn(0).getInt64());
    return ids;
  });
}

std::size_t requeue_interrupted_outbox_rows(Database& db, const std::string& platform,
                                            dialogs::TimePoint now) {
  return guarded("recovering interrupted " + platform + " outbox rows", [&] {
    auto q = db.statement("UPDATE outbox SET status = 'pending', next_attempt_at = ? "
                        "WHERE platform = ? AND status = 'sending'");
    q.bind(1, to_unix(now));
    q.bind(2, platform);
    return static_cast<std::size_t>(q.exec());
  });
}

}  // namespace okr::storage
