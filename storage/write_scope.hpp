#pragma once
// Inside storage/ only: makes a multi-statement write atomic. When the caller already runs a
// transaction (a turn's unit of work), the write simply joins it; otherwise it gets its own
// IMMEDIATE transaction, so a repository used on its own never leaves half an aggregate
// behind. Nested BEGINs are not possible in SQLite, and SQLiteCpp's Savepoint is avoided
// (rollback bug in 3.2.1), hence this check.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <optional>

namespace okr::storage {

class WriteScope {
 public:
  explicit WriteScope(SQLite::Database& db) {
    if (sqlite3_get_autocommit(db.getHandle()) != 0) {
      tx_.emplace(db, SQLite::TransactionBehavior::IMMEDIATE);
    }
  }
  void commit() {
    if (tx_) tx_->commit();
  }

 private:
  std::optional<SQLite::Transaction> tx_;
};

}  // namespace okr::storage
