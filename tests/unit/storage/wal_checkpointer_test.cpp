#include <stdlib.h>

#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
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

// Frames in the WAL now, as a checkpoint reports them (-1 when it could not tell).
int wal_frames(Database& db) {
  SQLite::Statement checkpoint(db.handle(), "PRAGMA wal_checkpoint(PASSIVE)");
  return checkpoint.executeStep() ? checkpoint.getColumn(1).getInt() : -1;
}

WalCheckpointer::Settings small_wal() {
  WalCheckpointer::Settings settings;
  settings.pages = 20;
  settings.idle_check = std::chrono::milliseconds(50);
  return settings;
}

}  // namespace

TEST_CASE("a connection opened with the checkpointer leaves its checkpoints to it",
          "[storage][checkpointer]") {
  TempFile file;
  WalCheckpointer checkpointer(file.db(), small_wal());
  checkpointer.start();
  auto hot = Database::open(file.db(), {.checkpoints = &checkpointer});
  CHECK(autocheckpoint_of(hot) == 0);

  write_rows(hot, 200);

  // Writes kept working while it ran, and it copied the WAL back into the database.
  CHECK(hot.handle().execAndGet("SELECT COUNT(*) FROM notes").getInt() == 200);
  CHECK(eventually([&] { return checkpointer.stats().frames_checkpointed > 0; }));
  CHECK(checkpointer.stats().checkpoints > 0);
  CHECK(checkpointer.stats().commits >= 200);
}

TEST_CASE("when writes pause the checkpointer empties the WAL file", "[storage][checkpointer]") {
  TempFile file;
  WalCheckpointer checkpointer(file.db(), small_wal());
  checkpointer.start();
  auto hot = Database::open(file.db(), {.checkpoints = &checkpointer});
  write_rows(hot, 50);
  REQUIRE(file.wal_bytes() > 0);

  CHECK(eventually([&] { return checkpointer.stats().truncations > 0 && file.wal_bytes() == 0; }));
  // Writing after a truncation starts the WAL afresh and loses nothing.
  write_rows(hot, 5);
  CHECK(hot.handle().execAndGet("SELECT COUNT(*) FROM notes").getInt() == 55);
}

TEST_CASE("connections opened without the option keep SQLite's automatic checkpoints",
          "[storage][checkpointer]") {
  TempFile file;
  // A tool process (migrate, backup, tick) runs no checkpointer.
  auto tool = Database::open(file.db());
  CHECK(autocheckpoint_of(tool) == 1000);

  // Not even on the file a running checkpointer looks after: only the option hands one over.
  WalCheckpointer checkpointer(file.db(), small_wal());
  checkpointer.start();
  auto plain = Database::open(file.db());
  CHECK(autocheckpoint_of(plain) == 1000);
  write_rows(plain, 10);
  CHECK(checkpointer.stats().commits == 0);
}

TEST_CASE("two checkpointers on two files in one process each hear only their own connections",
          "[storage][checkpointer]") {
  TempFile first_file;
  TempFile second_file;
  WalCheckpointer first(first_file.db(), small_wal());
  WalCheckpointer second(second_file.db(), small_wal());
  first.start();
  second.start();
  auto first_hot = Database::open(first_file.db(), {.checkpoints = &first});
  auto second_hot = Database::open(second_file.db(), {.checkpoints = &second});
  CHECK(autocheckpoint_of(first_hot) == 0);
  CHECK(autocheckpoint_of(second_hot) == 0);

  write_rows(first_hot, 200);
  write_rows(second_hot, 7);

  CHECK(first.stats().commits >= 200);
  CHECK(second.stats().commits >= 7);
  CHECK(second.stats().commits < 200);
  CHECK(eventually([&] { return first.stats().frames_checkpointed > 0; }));
  CHECK(eventually([&] { return second.stats().frames_checkpointed > 0; }));
  CHECK(first_hot.handle().execAndGet("SELECT COUNT(*) FROM notes").getInt() == 200);
  CHECK(second_hot.handle().execAndGet("SELECT COUNT(*) FROM notes").getInt() == 7);
}

TEST_CASE("a checkpointer refuses a connection to another file", "[storage][checkpointer]") {
  TempFile file;
  TempFile other;
  WalCheckpointer checkpointer(file.db(), small_wal());
  CHECK_THROWS_AS(Database::open(other.db(), {.checkpoints = &checkpointer}),
                  std::invalid_argument);
  // The same file under another spelling is the same file.
  const std::string spelled_again = (other.dir / ".." / file.dir.filename() / "coach.db").string();
  auto hot = Database::open(spelled_again, {.checkpoints = &checkpointer});
  CHECK(autocheckpoint_of(hot) == 0);
}

TEST_CASE("a connection whose checkpointer is not running checkpoints on its own, as SQLite would",
          "[storage][checkpointer]") {
  TempFile file;
  WalCheckpointer checkpointer(file.db(), small_wal());
  // Each insert is a commit of about two pages: 1,500 of them put ~3,000 frames through the
  // WAL. Had nobody checkpointed, all of them would still be in it.
  SECTION("not started yet") {
    auto hot = Database::open(file.db(), {.checkpoints = &checkpointer});
    write_rows(hot, 1500);
    CHECK(wal_frames(hot) < 1100);
  }
  SECTION("stopped") {
    checkpointer.start();
    auto hot = Database::open(file.db(), {.checkpoints = &checkpointer});
    checkpointer.stop();
    write_rows(hot, 1500);
    CHECK(wal_frames(hot) < 1100);
  }
  SECTION("gone before the connection") {
    std::optional<Database> hot;
    {
      WalCheckpointer short_lived(file.db(), small_wal());
      short_lived.start();
      hot.emplace(Database::open(file.db(), {.checkpoints = &short_lived}));
    }
    write_rows(*hot, 1500);
    CHECK(wal_frames(*hot) < 1100);
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
  auto hot = Database::open(file.db(), {.checkpoints = &checkpointer});
  write_rows(hot, 30);
  checkpointer.stop();
  checkpointer.stop();
  // The last pass at stop copied what had accumulated; the connection still writes.
  CHECK(checkpointer.stats().frames_checkpointed > 0);
  write_rows(hot, 1);
  CHECK(hot.handle().execAndGet("SELECT COUNT(*) FROM notes").getInt() == 31);
}
