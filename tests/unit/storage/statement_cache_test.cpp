#include "storage/statement_cache.hpp"

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/people.hpp"
#include "temp_store.hpp"

using okr::storage::Database;
using okr::storage::StatementCache;
using okr::storage::StorageError;
using okr::storage::testing::TempStore;

namespace {

// How many statements the connection holds prepared, cached or leased.
int prepared_statements(Database& db) {
  int count = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db.handle().getHandle(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(db.handle().getHandle(), s))
    ++count;
  return count;
}

void make_numbers(Database& db, int rows) {
  db.handle().exec("CREATE TABLE numbers (n INTEGER PRIMARY KEY)");
  for (int n = 1; n <= rows; ++n) {
    auto insert = db.statement("INSERT INTO numbers (n) VALUES (?)");
    insert.bind(1, n);
    insert.exec();
  }
}

int count_numbers(Database& db) {
  auto q = db.statement("SELECT count(*) FROM numbers");
  q.executeStep();
  return q.getColumn(0).getInt();
}

}  // namespace

TEST_CASE("the same SQL a second time gets the statement prepared the first time") {
  TempStore store;
  Database& db = store.db();
  const int before = prepared_statements(db);
  const SQLite::Statement* first = nullptr;
  {
    auto q = db.statement("SELECT 40 + 2");
    CHECK_FALSE(q.reused());
    first = &*q;
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 42);
  }
  for (int round = 0; round < 3; ++round) {
    auto q = db.statement("SELECT 40 + 2");
    CHECK(q.reused());
    CHECK(&*q == first);
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 42);
  }
  CHECK(prepared_statements(db) == before + 1);
}

TEST_CASE("a value bound for one use is not there for the next") {
  TempStore store;
  Database& db = store.db();
  {
    auto q = db.statement("SELECT ?1 IS NULL");
    q.bind(1, 5);
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 0);
  }
  auto q = db.statement("SELECT ?1 IS NULL");
  REQUIRE(q.reused());
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getInt() == 1);
}

TEST_CASE("the same SQL used inside its own iteration gets a second statement") {
  TempStore store;
  Database& db = store.db();
  make_numbers(db, 3);
  const std::string sql = "SELECT n FROM numbers WHERE n >= ? ORDER BY n";
  int pairs = 0;
  auto outer = db.statement(sql);
  outer.bind(1, 1);
  while (outer.executeStep()) {
    auto inner = db.statement(sql);
    CHECK(&*inner != &*outer);
    inner.bind(1, outer.getColumn(0).getInt());
    while (inner.executeStep())
      ++pairs;
  }
  CHECK(pairs == 3 + 2 + 1);  // (1,1..3), (2,2..3), (3,3): the outer cursor was never disturbed
}

TEST_CASE("a lease given up mid-iteration by an exception keeps no read transaction open") {
  TempStore store;
  Database& db = store.db();
  make_numbers(db, 5);
  const std::string sql = "SELECT n FROM numbers ORDER BY n";
  const SQLite::Statement* used = nullptr;
  CHECK_THROWS_AS(okr::storage::guarded("reading numbers",
                                        [&] {
                                          auto q = db.statement(sql);
                                          used = &*q;
                                          REQUIRE(q.executeStep());
                                          throw std::runtime_error("the caller gave up");
                                        }),
                  std::runtime_error);
  CHECK(sqlite3_get_autocommit(db.handle().getHandle()) != 0);

  // Another connection writes and checkpoints the whole WAL: impossible while a snapshot of
  // the first connection were still held by a half-stepped statement.
  {
    auto other = Database::open(store.file());
    other.handle().exec("INSERT INTO numbers (n) VALUES (6)");
    auto checkpoint = other.statement("PRAGMA wal_checkpoint(TRUNCATE)");
    REQUIRE(checkpoint.executeStep());
    CHECK(checkpoint.getColumn(0).getInt() == 0);  // 0: not blocked by a reader
  }
  CHECK(count_numbers(db) == 6);

  auto again = db.statement(sql);
  CHECK(again.reused());
  CHECK(&*again == used);
  REQUIRE(again.executeStep());
  CHECK(again.getColumn(0).getInt() == 1);  // from the first row, not where it was left
}

TEST_CASE("a statement whose step failed on a constraint is reusable") {
  TempStore store;
  Database& db = store.db();
  make_numbers(db, 1);
  const std::string sql = "INSERT INTO numbers (n) VALUES (?)";
  CHECK_THROWS_AS(okr::storage::guarded("adding a number",
                                        [&] {
                                          auto q = db.statement(sql);
                                          q.bind(1, 1);
                                          q.exec();
                                        }),
                  StorageError);
  auto q = db.statement(sql);
  CHECK(q.reused());
  q.bind(1, 2);
  CHECK(q.exec() == 1);
  CHECK(count_numbers(db) == 2);
}

TEST_CASE("the cache keeps at most its capacity, dropping the least recently used") {
  TempStore store;
  StatementCache cache(3);
  auto& connection = store.db().handle();
  for (int i = 1; i <= 5; ++i) {
    auto q = cache.acquire(connection, "SELECT " + std::to_string(i));
    q.executeStep();
  }
  CHECK(cache.idle() == 3);
  CHECK(cache.acquire(connection, "SELECT 5").reused());
  CHECK(cache.acquire(connection, "SELECT 3").reused());
  CHECK_FALSE(cache.acquire(connection, "SELECT 1").reused());
  CHECK(cache.idle() == 3);
}

TEST_CASE("SQL built at run time does not grow a connection's cache beyond its capacity") {
  TempStore store;
  Database& db = store.db();
  for (int i = 0; i < 3 * static_cast<int>(StatementCache::default_capacity); ++i) {
    auto q = db.statement("SELECT " + std::to_string(i));
    q.executeStep();
  }
  CHECK(db.statements().idle() == StatementCache::default_capacity);
  CHECK(prepared_statements(db) == static_cast<int>(StatementCache::default_capacity));
}

TEST_CASE("a cached statement still works after the schema it was prepared on changed") {
  TempStore store;
  Database& db = store.db();
  make_numbers(db, 2);
  const std::string sql = "SELECT n FROM numbers WHERE n = ?";
  {
    auto q = db.statement(sql);
    q.bind(1, 2);
    REQUIRE(q.executeStep());
  }
  db.handle().exec("ALTER TABLE numbers ADD COLUMN label TEXT NOT NULL DEFAULT ''");
  db.handle().exec("CREATE INDEX numbers_by_label ON numbers (label)");
  auto q = db.statement(sql);
  CHECK(q.reused());
  q.bind(1, 2);
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getInt() == 2);
}

TEST_CASE("migrations start the statement cache afresh and repositories work after them") {
  auto db = Database::open_in_memory();
  {
    auto q = db.statement("SELECT count(*) FROM sqlite_schema");
    q.executeStep();
  }
  REQUIRE(db.statements().idle() == 1);
  REQUIRE(db.migrate() > 0);
  CHECK(db.statements().idle() == 0);

  okr::storage::People people(db);
  const auto alice = people.find_or_create(okr::storage::testing::terminal_person("alice"));
  const auto again = people.find_or_create(okr::storage::testing::terminal_person("alice"));
  CHECK(again.id == alice.id);
  CHECK(db.statements().idle() > 0);
}
