#pragma once
// Group commit for the inbox: the arrivals of many concurrent requests written in ONE
// transaction (one write lock, one WAL commit) instead of one each. Each arrival is written
// inside its own savepoint, so one that fails (a hook that throws, a constraint) is undone alone
// and only its request is refused; the rest of the batch still commits. Nothing is durable, and
// so nothing may be acknowledged, until commit() returned; a batch destroyed uncommitted rolls
// back every arrival in it.
//
// Inside it, Inbox::record joins the transaction, so a second arrival of the same event in the
// same batch is seen as a duplicate of the first.
#include <exception>
#include <type_traits>
#include <utility>

namespace okr::storage {

class Database;

// For the connection that writes the batches: while another connection (a turn) holds the
// write lock, retry every 50 µs for the first millisecond and every 250 µs after that, for at
// most `timeout` in all. SQLite's own busy timeout sleeps 1, 2, 5, 10... ms between tries,
// which puts several milliseconds on an acknowledgement whenever it meets a turn's commit
// (turns are short: most locks are free again within a few hundred microseconds).
void wait_for_writers_promptly(Database& db, int timeout_ms = 5000);

class InboxBatch {
 public:
  // BEGIN IMMEDIATE: the write lock is taken now (waiting busy_timeout at most), so the
  // writes below never fail half way on a lock.
  explicit InboxBatch(Database& db);
  ~InboxBatch();  // rolls back unless committed
  InboxBatch(const InboxBatch&) = delete;
  InboxBatch& operator=(const InboxBatch&) = delete;

  // Runs `write` for one arrival in a savepoint. When it throws, its own writes are undone and
  // the exception reaches the caller; the batch goes on.
  template <class Write>
  auto arrival(Write&& write) -> decltype(write()) {
    open_arrival();
    try {
      if constexpr (std::is_void_v<decltype(write())>) {
        write();
        close_arrival();
      } else {
        auto result = write();
        close_arrival();
        return result;
      }
    } catch (...) {
      undo_arrival();
      throw;
    }
  }

  // Makes every arrival written so far durable. Throws StorageError when the commit failed:
  // then nothing of the batch was stored.
  void commit();

 private:
  void open_arrival();
  void close_arrival();
  void undo_arrival();

  Database& db_;
  bool open_ = false;
  bool broken_ = false;  // an arrival could not be undone
};

}  // namespace okr::storage
