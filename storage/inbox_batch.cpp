#include "storage/inbox_batch.hpp"

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <thread>

#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"

namespace okr::storage {

namespace {

// The limit travels in the handler's user pointer, so nothing is shared between connections.
int prompt_busy_handler(void* timeout_ms, int tries) {
  constexpr int kShortTries = 20;  // 20 x 50 us: the first millisecond
  const long waited_us = tries < kShortTries ? tries * 50L : 1000L + (tries - kShortTries) * 250L;
  if (waited_us >= static_cast<long>(reinterpret_cast<std::intptr_t>(timeout_ms)) * 1000L)
    return 0;  // give up: SQLITE_BUSY reaches the caller
  std::this_thread::sleep_for(std::chrono::microseconds(tries < kShortTries ? 50 : 250));
  return 1;
}

}  // namespace

void wait_for_writers_promptly(Database& db, int timeout_ms) {
  sqlite3_busy_handler(db.handle().getHandle(), prompt_busy_handler,
                       reinterpret_cast<void*>(static_cast<std::intptr_t>(timeout_ms)));
}

// Raw SAVEPOINT statements: SQLiteCpp 3.2.1's Savepoint has a rollback bug (see write_scope.hpp).
// The ones every batch and arrival runs come prepared from the connection's statement cache
// instead of being compiled again each time.

InboxBatch::InboxBatch(Database& db) : db_(db) {
  guarded("starting a batch of inbound events", [&] { db_.statement("BEGIN IMMEDIATE").exec(); });
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
  guarded("opening the savepoint of an inbound event",
          [&] { db_.statement("SAVEPOINT arrival").exec(); });
}

void InboxBatch::close_arrival() {
  guarded("closing the savepoint of an inbound event",
          [&] { db_.statement("RELEASE arrival").exec(); });
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
  guarded("committing a batch of inbound events", [&] { db_.statement("COMMIT").exec(); });
  open_ = false;
}

}  // namespace okr::storage
