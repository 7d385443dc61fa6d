#include "storage/outbox_batch.hpp"

#include <SQLiteCpp/Transaction.h>

#include "storage/database.hpp"
#include "storage/guarded.hpp"

namespace okr::storage {

OutboxBatch::OutboxBatch(Database& db) {
  guarded("starting a batch of outbox changes", [&] {
    tx_ = std::make_unique<SQLite::Transaction>(db.handle(),
                                                SQLite::TransactionBehavior::IMMEDIATE);
  });
}

// SQLite::Transaction rolls back in its destructor unless committed.
OutboxBatch::~OutboxBatch() = default;

void OutboxBatch::commit() {
  guarded("committing a batch of outbox changes", [&] { tx_->commit(); });
}

}  // namespace okr::storage
