#include "storage/inbox_batch.hpp"

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include "storage/database.hpp"
#include "storage/guarded.hpp"

namespace okr::storage {

// Raw SAVEPOINT statements: SQLiteCpp 3.2.1's Savepoint has a rollback bug (see write_scope.hpp).

InboxBatch::InboxBatch(Database& db) : db_(db) {
  guarded("starting a batch of inbound events", [&] { db_.handle().exec("BEGIN IMMEDIATE"); });
  open_ = true;
}

InboxBatch::~InboxBatch() {
  if (!open_)
    return;
  try {
    if (sqlite3_get_autocommit(db_.handle().getHandle()) == 0)
      db_.handle().exec("ROLLBACK");
  } catch (const std::exception&) {
    // The connection is broken beyond a rollback; SQLite rolls back when it is closed, and the
    // callers were already told the batch failed.
  }
}

void InboxBatch::open_arrival() {
  guarded("opening the savepoint of an inbound event", [&] { db_.handle().exec("SAVEPOINT arrival"); });
}

void InboxBatch::close_arrival() {
  guarded("closing the savepoint of an inbound event", [&] { db_.handle().exec("RELEASE arrival"); });
}

void InboxBatch::undo_arrival() {
  // Some errors (a full disk, an I/O error) end the whole transaction in SQLite: then there is
  // no savepoint to go back to and commit() must fail the batch.
  if (sqlite3_get_autocommit(db_.handle().getHandle()) != 0)
    return;
  try {
    db_.handle().exec("ROLLBACK TO arrival");
    db_.handle().exec("RELEASE arrival");
  } catch (const std::exception&) {
    broken_ = true;  // the arrival's writes may still be there: the whole batch must fail
  }
}

void InboxBatch::commit() {
  // Left open_ so the destructor rolls back whatever is left of the transaction.
  if (!open_ || broken_ || sqlite3_get_autocommit(db_.handle().getHandle()) != 0) {
    throw StorageError(StorageError::Code::query_failed,
                       "the batch of inbound events was rolled back by an earlier error");
  }
  guarded("committing a batch of inbound events", [&] { db_.handle().exec("COMMIT"); });
  open_ = false;
}

}  // namespace okr::storage
