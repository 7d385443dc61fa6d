#pragma once
// Several outbox status changes in ONE transaction: the dispatcher claims a whole wave of rows
// (pending → sending) in one commit before any call, and records the wave's outcomes in one
// commit after them, instead of two write transactions per message. Inside it the Outbox
// methods join the transaction. Nothing is durable until commit(); a batch destroyed
// uncommitted rolls back every change in it (the rows then stay as they were before).
#include <memory>

namespace SQLite {
class Transaction;
}

namespace okr::storage {

class Database;

class OutboxBatch {
 public:
  // BEGIN IMMEDIATE: takes the write lock now, so no statement inside fails half way on it.
  explicit OutboxBatch(Database& db);
  ~OutboxBatch();
  OutboxBatch(const OutboxBatch&) = delete;
  OutboxBatch& operator=(const OutboxBatch&) = delete;

  // Throws StorageError when the commit failed: then none of the batch's changes were stored.
  void commit();

 private:
  std::unique_ptr<SQLite::Transaction> tx_;
};

}  // namespace okr::storage
