#include "storage/online_backup.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include <filesystem>
#include <system_error>
#include <unistd.h>

#include "storage/database.hpp"

namespace okr::storage {
namespace {

namespace fs = std::filesystem;

constexpr int kBusyTimeoutMs = 5000;

[[noreturn]] void fail(StorageError::Code code, const std::string& message) {
  throw StorageError(code, "backup: " + message);
}

// The copy's name while it is being written: unique per process, in the destination's
// directory so the final rename stays on one file system (and is atomic).
fs::path partial_name(const fs::path& destination) {
  return destination.parent_path() /
         (destination.filename().string() + ".partial-" + std::to_string(::getpid()));
}

void remove_quietly(const fs::path& file) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    fs::remove(file.string() + suffix, ec);
}

}  // namespace

BackupReport backup_database(const std::string& source, const std::string& destination, bool overwrite) {
  std::error_code ec;
  if (destination.empty())
    fail(StorageError::Code::cannot_open, "no destination file given");
  if (!fs::is_regular_file(source, ec))
    fail(StorageError::Code::cannot_open, "there is no database file at '" + source + "'");
  const fs::path target = fs::absolute(destination, ec);
  if (fs::equivalent(source, target, ec))
    fail(StorageError::Code::conflict, "'" + destination + "' is the database itself");
  if (fs::is_directory(target, ec))
    fail(StorageError::Code::conflict, "'" + destination + "' is a directory");
  if (fs::exists(target, ec) && !overwrite)
    fail(StorageError::Code::conflict,
         "'" + destination + "' already exists; choose a new name or pass --force to replace it");
  if (!fs::is_directory(target.parent_path(), ec))
    fail(StorageError::Code::cannot_open, "the directory of '" + destination + "' does not exist");

  const fs::path partial = partial_name(target);
  remove_quietly(partial);
  BackupReport report;
  try {
    {
      // Read-only, so a mistyped path can never create an empty database to "back up".
      SQLite::Database from(source, SQLite::OPEN_READONLY);
      from.setBusyTimeout(kBusyTimeoutMs);
      SQLite::Database to(partial.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      to.setBusyTimeout(kBusyTimeoutMs);
      SQLite::Backup copy(to, from);
      // All pages in one step: the copy reads a single snapshot of the source. Copying in
      // slices would restart whenever serve commits in between, and under steady traffic
      // might never finish.
      copy.executeStep(-1);
      report.pages = copy.getTotalPageCount();
      const auto check = to.execAndGet("PRAGMA quick_check").getString();
      if (check != "ok")
        fail(StorageError::Code::query_failed, "the copy failed its check: " + check);
      if (to.tableExists("schema_migrations"))
        report.schema_version = to.execAndGet("SELECT coalesce(max(version), 0) FROM schema_migrations").getInt();
      // One self-contained file: fold the copy's WAL (if any) back in before it is closed.
      to.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    fs::rename(partial, target);
    remove_quietly(partial);
  } catch (const SQLite::Exception& e) {
    remove_quietly(partial);
    fail(StorageError::Code::query_failed, "copying '" + source + "' failed: " + e.what());
  } catch (const fs::filesystem_error& e) {
    remove_quietly(partial);
    fail(StorageError::Code::cannot_open, "cannot put the copy at '" + destination + "': " + e.what());
  } catch (...) {
    remove_quietly(partial);
    throw;
  }
  return report;
}

}  // namespace okr::storage
