#include <stdlib.h>

#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

#include "storage/database.hpp"
#include "storage/wal_checkpointer.hpp"

namespace {

using okr::storage::Database;
using okr::storage::WalCheckpointer;

// A database file in its own temporary directory, removed with the directory.
struct TempFile {
  std::filesystem::path dir;
  TempFile() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "okr-checkpointer-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir = pattern;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::string db() const { return (dir / "coach.db").string(); }
  std::uintmax_t wal_bytes() const {
    std::error_code ec;
    const auto size = std::filesystem::file_size(db() + "-wal", ec);
    return ec ? 0 : size;
  }
};

int autocheckpoint_of(Database& db) {
  return db.handle().execAndGet("PRAGMA wal_autocheckpoint").getInt();
}

// Each row is about one page, each insert its own commit: the WAL grows a page per commit.
void write_rows(Database& db, int count) {
  db.handle().exec("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body BLOB)");
  for (int i = 0; i < count; ++i) {
    db.handle().exec("INSERT INTO notes (body) VALUES (zeroblob(3000))");
  }
}

// Waits for background work to show; the bound only keeps a broken checkpointer from hanging
// the test run, it is not a speed requirement.
bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 3000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

WalCheckpointer::Settings small_wal() {
  WalCheckpointer::Settings settings;
  settings.pages = 20;
  settings.idle_check = std::chrono::milliseconds(50);
  return settings;
}

}  // namespace

TEST_CASE("a connection opened while the checkpointer runs leaves its checkpoints to it",
          "[storage][checkpointer]") {
  TempFile file;
  WalCheckpointer checkpointer(file.db(), small_wal());
  checkpointer.start();
  auto hot = Database::open(file.db());
  CHECK(autocheckpoint_of(hot) == 0);

  write_rows(hot, 200);

  // Writes kept working while it ran, and it copied the WAL back into the database.
  CHECK(hot.handle().execAndGet("SELECT COUNT(*) FROM notes").getInt() == 200);
  CHECK(eventually([&] { return checkpointer.stats().frames_checkpointed > 0; }));
  CHECK(checkpointer.stats().checkpoints > 0);
}

TEST_CASE("when writes pause the checkpointer empties the WAL file", "[storage][checkpointer]") {
  TempFile file;
  WalCheckpointer checkpointer(file.db(), small_wal());
  checkpointer.start();
  auto hot = Database::open(file.db());
  write_rows(hot, 50);
  REQUIRE(file.wal_bytes() > 0);

  CHECK(eventually([&] { return checkpointer.stats().truncations > 0 && file.wal_bytes() == 0; }));
  // Writing after a truncation starts the WAL afresh and loses nothing.
  write_rows(hot, 5);
  CHECK(hot.handle().execAndGet("SELECT COUNT(*) FROM notes").getInt() == 55);
}

TEST_CASE("connections opened without a running checkpointer keep SQLite's automatic checkpoints",
          "[storage][checkpointer]") {
  TempFile file;
  // A tool process (migrate, backup, tick) runs no checkpointer.
  auto tool = Database::open(file.db());
  CHECK(autocheckpoint_of(tool) == 1000);

  TempFile other;
  WalCheckpointer checkpointer(other.db(), small_wal());
  checkpointer.start();
  SECTION("another file than the checkpointer's") {
    auto elsewhere = Database::open(file.db());
    CHECK(autocheckpoint_of(elsewhere) == 1000);
  }
  SECTION("opened after the checkpointer stopped") {
    checkpointer.stop();
    auto later = Database::open(other.db());
    CHECK(autocheckpoint_of(later) == 1000);
  }
}

TEST_CASE("stopping the checkpointer is clean, repeated or without a start",
          "[storage][checkpointer]") {
  TempFile file;
  {
    WalCheckpointer never_started(file.db(), small_wal());
    never_started.stop();
  }
  WalCheckpointer checkpointer(file.db(), small_wal());
  checkpointer.start();
  auto hot = Database::open(file.db());
  write_rows(hot, 30);
  checkpointer.stop();
  checkpointer.stop();
  // The last pass at stop copied what had accumulated; the connection still writes.
  CHECK(checkpointer.stats().frames_checkpointed > 0);
  write_rows(hot, 1);
  CHECK(hot.handle().execAndGet("SELECT COUNT(*) FROM notes").getInt() == 31);
}
