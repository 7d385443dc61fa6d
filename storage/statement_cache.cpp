#include "storage/statement_cache.hpp"

#include <SQLiteCpp/Database.h>

namespace okr::storage {

CachedStatement::CachedStatement(StatementCache& cache,
                                 std::unique_ptr<SQLite::Statement> statement,
                                 bool reused) noexcept
    : cache_(&cache), statement_(std::move(statement)), reused_(reused) {}

CachedStatement::CachedStatement(CachedStatement&& other) noexcept
    : cache_(other.cache_), statement_(std::move(other.statement_)), reused_(other.reused_) {
  other.cache_ = nullptr;
}

CachedStatement::~CachedStatement() {
  if (!cache_ || !statement_) {
    return;
  }
  // tryReset's result repeats the error of a failed step, which the caller has seen already.
  statement_->tryReset();
  try {
    statement_->clearBindings();
  } catch (...) {
    // A statement whose bindings could not be cleared is not fit to hand out again; dropping it
    // finalizes it.
    return;
  }
  cache_->release(std::move(statement_));
}

CachedStatement StatementCache::acquire(SQLite::Database& db, const std::string& sql) {
  const auto found = by_sql_.find(sql);
  if (found != by_sql_.end()) {
    const Recent::iterator entry = found->second;
    auto statement = std::move(entry->statement);
    by_sql_.erase(found);
    recent_.erase(entry);
    return CachedStatement(*this, std::move(statement), true);
  }
  return CachedStatement(*this, std::make_unique<SQLite::Statement>(db, sql), false);
}

void StatementCache::release(std::unique_ptr<SQLite::Statement> statement) noexcept {
  // Keeping it may fail only for lack of memory; the statement is then simply finalized.
  try {
    std::string sql = statement->getQuery();
    recent_.push_front(Idle{sql, std::move(statement)});
    try {
      by_sql_.emplace(std::move(sql), recent_.begin());
    } catch (...) {
      recent_.pop_front();  // the list and its index never disagree
      return;
    }
  } catch (...) {
    return;
  }
  while (recent_.size() > capacity_) {
    const Recent::iterator oldest = std::prev(recent_.end());
    auto [first, last] = by_sql_.equal_range(oldest->sql);
    for (auto it = first; it != last; ++it) {
      if (it->second == oldest) {
        by_sql_.erase(it);
        break;
      }
    }
    recent_.erase(oldest);
  }
}

void StatementCache::clear() noexcept {
  by_sql_.clear();
  recent_.clear();
}

}  // namespace okr::storage
