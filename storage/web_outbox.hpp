#pragma once
// The outbox rows of one platform only, for a channel that delivers locally (the web page's
// conversation log) and must neither wait behind nor touch other platforms' rows: a shared
// OutboxDispatcher holds back rows of platforms it has no sender for, and would hold back ours.
#include <cstddef>
#include <string>
#include <vector>

#include "dialogs/domain.hpp"

namespace okr::storage {

class Database;

// Ids of `platform`'s pending rows that are ready for delivery, oldest first (so each
// conversation keeps its order): never attempted (whatever another dispatcher postponed them
// to), or due again at `now` after a failed attempt of ours.
std::vector<dialogs::Id> deliverable_outbox_rows(Database& db, const std::string& platform,
                                                 dialogs::TimePoint now, std::size_t limit = 100);

// At start-up: `platform`'s rows left `sending` by a crash become pending again (their
// delivery is idempotent). Rows of other platforms are left to their own dispatcher.
std::size_t requeue_interrupted_outbox_rows(Database& db, const std::string& platform,
                                            dialogs::TimePoint now);

}  // namespace okr::storage
