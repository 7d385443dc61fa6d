#pragma once
// The one SQLite database of OKR Coach: opening it with the settings we rely on (WAL,
// synchronous=NORMAL, foreign keys, busy timeout) and bringing its schema up to date.
// SQLite errors never leave storage/ raw: they become StorageError with context.
#include <memory>
#include <stdexcept>
#include <string>

namespace SQLite {
class Database;
}

namespace okr::storage {

class CachedStatement;
class StatementCache;
class WalCheckpointer;

// How a file connection is opened. The defaults suit every tool, command and test.
struct OpenOptions {
  // For serve's request, turn and scheduler connections: leave WAL checkpoints to this
  // checkpointer (of the same file; storage/wal_checkpointer.hpp) instead of running them inside
  // whichever commit fills the WAL. nullptr: SQLite's automatic checkpoints.
  WalCheckpointer* checkpoints = nullptr;
};

// A storage failure, with what failed and on which input. `code` lets callers tell the
// cases apart without parsing messages.
class StorageError : public std::runtime_error {
 public:
  enum class Code { cannot_open, schema_too_new, migration_failed, query_failed, not_found, conflict };
  StorageError(Code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Code code() const noexcept { return code_; }

 private:
  Code code_;
};

class Database {
 public:
  // Opens (creating when missing, including missing parent directories) the file at `path`.
  // Throws StorageError{cannot_open} naming the path and the reason.
  static Database open(const std::string& path, const OpenOptions& options = {});
  // In-memory database for unit tests.
  static Database open_in_memory();

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database();

  // Applies every migration not yet recorded, each in its own transaction; returns how many ran.
  // A database whose recorded version is newer than this binary knows → StorageError
  // {schema_too_new} naming both versions, and nothing is touched.
  int migrate();
  int schema_version() const;               // highest applied migration, 0 for a new file
  static int latest_schema_version();        // highest migration this binary ships
  bool ready() const;                        // open and at latest_schema_version()
  const std::string& path() const;

  // For repositories inside storage/ only.
  SQLite::Database& handle();
  // A prepared statement for `sql` from this connection's cache (storage/statement_cache.hpp);
  // the lease must end before the Database does.
  CachedStatement statement(const std::string& sql);
  StatementCache& statements();

 private:
  struct State;
  explicit Database(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace okr::storage
