#include "storage/database.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "storage/migrations.hpp"

namespace fs = std::filesystem;
using okr::storage::Database;
using okr::storage::StorageError;

namespace {

// A fresh directory per test (tests run in parallel), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "okr-storage-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Simulates a database written by a future okr-coach: its newest recorded migration is beyond
// what this binary ships.
void record_future_version(const fs::path& path, int version) {
  SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
  SQLite::Statement insert(db, "INSERT INTO schema_migrations VALUES (?, 'from_the_future', 'x')");
  insert.bind(1, version);
  insert.exec();
}

StorageError::Code open_error_code(const std::string& path) {
  try {
    Database::open(path);
  } catch (const StorageError& e) {
    return e.code();
  }
  FAIL("opening '" << path << "' should have failed");
  return StorageError::Code::query_failed;
}

}  // namespace

TEST_CASE("the migration list is ordered without gaps, starting at 1", "[storage]") {
  const auto& list = okr::storage::migrations();
  REQUIRE_FALSE(list.empty());
  for (std::size_t i = 0; i < list.size(); ++i) {
    CHECK(list[i].version == static_cast<int>(i) + 1);
    CHECK_FALSE(list[i].name.empty());
    CHECK_FALSE(list[i].sql.empty());
  }
  CHECK(Database::latest_schema_version() == list.back().version);
}

TEST_CASE("a fresh file is migrated to the latest schema version", "[storage]") {
  TempDir dir;
  const auto path = dir / "fresh.db";
  auto db = Database::open(path.string());
  CHECK(db.schema_version() == 0);
  CHECK_FALSE(db.ready());

  const int applied = db.migrate();

  CHECK(applied == static_cast<int>(okr::storage::migrations().size()));
  CHECK(db.schema_version() == Database::latest_schema_version());
  CHECK(db.ready());
  CHECK(db.path() == path.string());
  CHECK(fs::exists(path));
}

TEST_CASE("every applied migration is recorded with its name and time", "[storage]") {
  TempDir dir;
  auto db = Database::open((dir / "recorded.db").string());
  db.migrate();
  SQLite::Statement rows(
      db.handle(), "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  std::size_t i = 0;
  while (rows.executeStep()) {
    REQUIRE(i < okr::storage::migrations().size());
    CHECK(rows.getColumn(0).getInt() == okr::storage::migrations()[i].version);
    CHECK(rows.getColumn(1).getString() == okr::storage::migrations()[i].name);
    CHECK(rows.getColumn(2).getString().size() == std::string("2026-01-01T00:00:00Z").size());
    ++i;
  }
  CHECK(i == okr::storage::migrations().size());
}

TEST_CASE("a second migrate applies nothing, also after reopening", "[storage]") {
  TempDir dir;
  const auto path = (dir / "twice.db").string();
  {
    auto db = Database::open(path);
    REQUIRE(db.migrate() > 0);
    CHECK(db.migrate() == 0);
  }
  auto reopened = Database::open(path);
  CHECK(reopened.migrate() == 0);
  CHECK(reopened.schema_version() == Database::latest_schema_version());
}

TEST_CASE("a database with a newer schema is refused, naming both versions, and left untouched",
          "[storage]") {
  TempDir dir;
  const auto path = dir / "future.db";
  const int future = Database::latest_schema_version() + 7;
  {
    auto db = Database::open(path.string());
    db.migrate();
  }
  record_future_version(path, future);
  const std::string before = file_bytes(path);

  {
    auto db = Database::open(path.string());
    CHECK(db.schema_version() == future);
    CHECK_FALSE(db.ready());
    try {
      db.migrate();
      FAIL("migrate should refuse a newer schema");
    } catch (const StorageError& e) {
      CHECK(e.code() == StorageError::Code::schema_too_new);
      const std::string message = e.what();
      CHECK_THAT(message, Catch::Contains(std::to_string(future)));
      CHECK_THAT(message,
                 Catch::Contains("version " + std::to_string(Database::latest_schema_version())));
      CHECK_THAT(message, Catch::Contains(path.string()));
    }
  }

  CHECK(file_bytes(path) == before);
}

TEST_CASE("the connection runs in WAL mode with foreign keys and a busy timeout", "[storage]") {
  TempDir dir;
  auto db = Database::open((dir / "pragmas.db").string());
  auto& handle = db.handle();
  CHECK(handle.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(handle.execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK(handle.execAndGet("PRAGMA synchronous").getInt() == 1);  // 1 = NORMAL
  CHECK(handle.execAndGet("PRAGMA busy_timeout").getInt() == 5000);
}

TEST_CASE("foreign keys are enforced", "[storage]") {
  auto db = Database::open_in_memory();
  auto& handle = db.handle();
  handle.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
  handle.exec("CREATE TABLE child (parent_id INTEGER REFERENCES parent(id))");
  CHECK_THROWS(handle.exec("INSERT INTO child VALUES (42)"));
}

TEST_CASE("missing parent directories are created", "[storage]") {
  TempDir dir;
  const auto path = dir / "a" / "b" / "nested.db";
  auto db = Database::open(path.string());
  db.migrate();
  CHECK(fs::exists(path));
}

TEST_CASE("a directory cannot be opened as a database, and the error names it", "[storage]") {
  TempDir dir;
  const auto path = (dir / "a-directory").string();
  fs::create_directory(path);
  CHECK(open_error_code(path) == StorageError::Code::cannot_open);
  CHECK_THROWS_WITH(Database::open(path), Catch::Contains(path));
}

TEST_CASE("a path below a regular file cannot be opened, and the error names it", "[storage]") {
  TempDir dir;
  const auto file = dir / "plain-file";
  std::ofstream(file) << "not a directory";
  const auto path = (file / "okr.db").string();
  CHECK(open_error_code(path) == StorageError::Code::cannot_open);
  CHECK_THROWS_WITH(Database::open(path), Catch::Contains(path));
}

TEST_CASE("a file that is not a database cannot be opened, and the error names it", "[storage]") {
  TempDir dir;
  const auto path = dir / "garbage.db";
  std::ofstream(path) << std::string(4096, 'x');
  CHECK(open_error_code(path.string()) == StorageError::Code::cannot_open);
  CHECK_THROWS_WITH(Database::open(path.string()), Catch::Contains(path.string()));
}

TEST_CASE("an in-memory database migrates like a file", "[storage]") {
  auto db = Database::open_in_memory();
  CHECK(db.migrate() == Database::latest_schema_version());
  CHECK(db.ready());
}
