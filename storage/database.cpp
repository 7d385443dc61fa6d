#include "storage/database.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include <sqlite3.h>

#include "storage/migrations.hpp"
#include "storage/statement_cache.hpp"
#include "storage/wal_checkpointer.hpp"

namespace okr::storage {

namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr const char* kInMemory = ":memory:";

[[noreturn]] void cannot_open(const std::string& path, const std::string& reason) {
  throw StorageError(StorageError::Code::cannot_open,
                     "cannot open database '" + path + "': " + reason);
}

// SQLite would happily report a directory as "unable to open database file" (or open it and
// fail later); checking first gives the operator a sentence that says what is wrong.
void prepare_location(const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty()) {
    cannot_open(path, "the path is empty");
  }
  std::error_code ec;
  const fs::path file(path);
  if (fs::is_directory(file, ec)) {
    cannot_open(path, "it is a directory, not a file");
  }
  const fs::path parent = file.parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) {
      cannot_open(path, "cannot create directory '" + parent.string() + "': " + ec.message());
    }
  }
}

// Process-wide SQLite settings. SQLite takes them only before it initialises, which its first
// open does, so the first Database::open applies them; if something else opened SQLite first
// (a test's own connection), sqlite3_config refuses and the defaults stay, which is harmless.
// - Page caches start empty and grow page by page. By default each connection preallocates 20
//   page slots at its first read and touches every one (about 70 KB resident per connection);
//   serve holds 13 connections, most of them idle, so that was ~0.9 MB of idle RSS. A busy
//   connection fills its cache either way.
// - No memory statistics: with them on (the default), every allocation SQLite makes takes one
//   process-wide mutex to count its bytes, so the inbox writer and the turn workers queue on
//   it; nothing here reads the statistics (sqlite3_memory_used and the like).
void configure_sqlite_once() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

// The settings every connection relies on. Reading journal_mode also makes SQLite read the
// file header, so a file that is not a database fails here, at open, not at first query.
void apply_pragmas(SQLite::Database& db, bool in_memory) {
  db.setBusyTimeout(kBusyTimeoutMs);
  const std::string mode = db.execAndGet("PRAGMA journal_mode=WAL").getString();
  if (!in_memory && mode != "wal") {
    throw SQLite::Exception("journal_mode WAL was refused (got '" + mode + "')");
  }
  db.exec("PRAGMA synchronous=NORMAL");
  db.exec("PRAGMA foreign_keys=ON");
}

bool has_migrations_table(SQLite::Database& db) {
  return db.tableExists("schema_migrations");
}

int recorded_version(SQLite::Database& db) {
  if (!has_migrations_table(db)) {
    return 0;
  }
  return db.execAndGet("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").getInt();
}

std::string utc_now_iso8601() {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto day = std::chrono::floor<std::chrono::days>(now);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{now - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                long(hms.minutes().count()), long(hms.seconds().count()));
  return text;
}

// Returns false when another process applied the migration first.
bool apply(SQLite::Database& db, const Migration& migration) {
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  // Another process may have migrated while we waited for the write lock.
  if (recorded_version(db) >= migration.version) {
    return false;
  }
  db.exec(migration.sql);
  SQLite::Statement record(
      db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  record.bind(1, migration.version);
  record.bind(2, migration.name);
  record.bind(3, utc_now_iso8601());
  record.exec();
  transaction.commit();
  return true;
}

}  // namespace

struct Database::State {
  std::string path;
  // What this connection's commit hook reports to, when it was opened with a checkpointer.
  // Declared before `db`, so released only after the connection (and its hook) has closed.
  std::shared_ptr<WalCheckpointer::Commits> checkpoints;
  SQLite::Database db;
  // Declared after `db`, so destroyed before it: every cached statement is finalized while the
  // connection is still open.
  StatementCache statements;

  State(std::string p, int flags) : path(std::move(p)), db(path, flags, kBusyTimeoutMs) {}
};

Database::Database(std::unique_ptr<State> state) : state_(std::move(state)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

Database Database::open(const std::string& path, const OpenOptions& options) {
  prepare_location(path);
  configure_sqlite_once();
  try {
    auto state = std::make_unique<State>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    apply_pragmas(state->db, false);
    if (options.checkpoints != nullptr) {
      state->checkpoints = options.checkpoints->hand_over(state->path, state->db.getHandle());
    }
    return Database(std::move(state));
  } catch (const SQLite::Exception& e) {
    cannot_open(path, e.what());
  }
}

Database Database::open_in_memory() {
  configure_sqlite_once();
  try {
    auto state = std::make_unique<State>(kInMemory, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    apply_pragmas(state->db, true);
    return Database(std::move(state));
  } catch (const SQLite::Exception& e) {
    cannot_open(kInMemory, e.what());
  }
}

int Database::latest_schema_version() {
  const auto& list = migrations();
  return list.empty() ? 0 : list.back().version;
}

int Database::schema_version() const {
  try {
    return recorded_version(state_->db);
  } catch (const SQLite::Exception& e) {
    throw StorageError(StorageError::Code::query_failed,
                       "cannot read the schema version of '" + state_->path + "': " + e.what());
  }
}

int Database::migrate() {
  const int current = schema_version();
  const int latest = latest_schema_version();
  if (current > latest) {
    throw StorageError(StorageError::Code::schema_too_new,
                       "database '" + state_->path + "' has schema version " +
                           std::to_string(current) + ", but this okr-coach knows only up to " +
                           "version " + std::to_string(latest) +
                           "; run a newer okr-coach or restore a backup");
  }
  int applied = 0;
  for (const Migration& migration : migrations()) {
    if (migration.version <= current) {
      continue;
    }
    try {
      if (apply(state_->db, migration)) {
        ++applied;
        // SQLite re-prepares a statement whose schema changed, but a statement prepared before
        // the change also keeps its old column count in SQLiteCpp: start afresh.
        state_->statements.clear();
      }
    } catch (const SQLite::Exception& e) {
      throw StorageError(StorageError::Code::migration_failed,
                         "migration " + std::to_string(migration.version) + " (" + migration.name +
                             ") failed on '" + state_->path + "': " + e.what());
    }
  }
  return applied;
}

bool Database::ready() const {
  try {
    return state_ && schema_version() == latest_schema_version();
  } catch (const StorageError&) {
    return false;
  }
}

const std::string& Database::path() const {
  return state_->path;
}

SQLite::Database& Database::handle() {
  return state_->db;
}

CachedStatement Database::statement(const std::string& sql) {
  return state_->statements.acquire(state_->db, sql);
}

StatementCache& Database::statements() {
  return state_->statements;
}

}  // namespace okr::storage
