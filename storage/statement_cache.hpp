#pragma once
// Inside storage/ only: prepared statements kept per connection, so a query is parsed once per
// connection instead of on every acknowledgement, turn and dispatch (sqlite3_prepare_v2 was
// half of all instructions per event before this cache).
//
// `Database::statement(sql)` hands out a CachedStatement: a lease on a prepared statement for
// that SQL text. While the lease lives the statement is its own; the same SQL asked for again
// meanwhile (a nested or re-entrant query) gets a second statement. When the lease ends the
// statement is reset and its bindings cleared before it goes back, so a half-stepped SELECT
// never keeps a WAL read snapshot open and no value bound for one call reaches the next.
//
// No lock: a Database (and so its cache) is used by one thread at a time, as SQLite handles are
// never shared between threads in OKR Coach.
#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

namespace SQLite {
class Database;
}

namespace okr::storage {

class StatementCache;

class CachedStatement {
 public:
  CachedStatement(StatementCache& cache, std::unique_ptr<SQLite::Statement> statement,
                  bool reused) noexcept;
  CachedStatement(CachedStatement&& other) noexcept;
  CachedStatement& operator=(CachedStatement&&) = delete;
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;
  ~CachedStatement();

  // True when the statement came prepared from the cache (no parse for this call).
  bool reused() const noexcept { return reused_; }

  SQLite::Statement& operator*() noexcept { return *statement_; }
  SQLite::Statement* operator->() noexcept { return statement_.get(); }
  // Lets row readers written for SQLite::Statement& take a lease as it is.
  operator SQLite::Statement&() noexcept { return *statement_; }

  // The calls repositories make, forwarded so call sites read as they did on a Statement.
  template <class... Args>
  void bind(Args&&... args) {
    statement_->bind(std::forward<Args>(args)...);
  }
  bool executeStep() { return statement_->executeStep(); }
  // Rewinds for another round within the same lease (a loop of inserts); bindings stay.
  void reset() { statement_->reset(); }
  void clearBindings() { statement_->clearBindings(); }
  int exec() { return statement_->exec(); }
  template <class Key>
  SQLite::Column getColumn(Key&& key) const {
    return statement_->getColumn(std::forward<Key>(key));
  }
  template <class Key>
  bool isColumnNull(Key&& key) const {
    return statement_->isColumnNull(std::forward<Key>(key));
  }
  int getColumnCount() const { return statement_->getColumnCount(); }

 private:
  StatementCache* cache_;
  std::unique_ptr<SQLite::Statement> statement_;
  bool reused_;
};

class StatementCache {
 public:
  // How many idle statements one connection keeps. The repositories have ~150 fixed SQL texts,
  // of which a few dozen are hot; SQL built at run time (IN lists) would otherwise grow the
  // cache without bound, so the least recently released statement is finalized beyond this.
  static constexpr std::size_t default_capacity = 128;

  explicit StatementCache(std::size_t capacity = default_capacity) : capacity_(capacity) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  CachedStatement acquire(SQLite::Database& db, const std::string& sql);
  // Finalizes every idle statement (e.g. after migrations changed the schema).
  void clear() noexcept;

  std::size_t idle() const noexcept { return recent_.size(); }
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  friend class CachedStatement;
  void release(std::unique_ptr<SQLite::Statement> statement) noexcept;

  struct Idle {
    std::string sql;
    std::unique_ptr<SQLite::Statement> statement;
  };
  using Recent = std::list<Idle>;  // front: most recently released
  std::size_t capacity_;
  Recent recent_;
  std::unordered_multimap<std::string, Recent::iterator> by_sql_;
};

}  // namespace okr::storage
