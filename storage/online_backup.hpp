#pragma once
// A consistent copy of a live database file, taken with SQLite's online backup API while
// `serve` keeps reading and writing it (WAL mode: the copy reads one snapshot and never blocks
// writers). `okr-coach backup --to FILE` is its only caller.
#include <string>

namespace okr::storage {

struct BackupReport {
  int pages = 0;           // pages copied
  int schema_version = 0;  // the copy's recorded migration version
};

// Copies the database at `source` to `destination`. The copy is written next to the
// destination under a temporary name and renamed into place only once complete and checked
// (PRAGMA quick_check), so a failed or interrupted backup never leaves a half-written FILE.
// Refuses (StorageError{conflict}) when `destination` exists and `overwrite` is false, and
// (StorageError{cannot_open}) when `source` is not an existing database; never creates it.
BackupReport backup_database(const std::string& source, const std::string& destination,
                             bool overwrite = false);

}  // namespace okr::storage
