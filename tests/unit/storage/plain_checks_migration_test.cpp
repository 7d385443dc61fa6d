// Migration 11 rebuilds inbox, outbox and schedules to write their status rules without IN
// lists. What must hold: the same values are allowed and refused, and a populated version 10
// database keeps every row, id and reply address through the rebuild.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace fs = std::filesystem;
using okr::storage::Database;

namespace {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "okr-plain-checks-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// A database as a version 10 binary left it: migrations 1..10 applied and recorded, with
// foreign keys on as Database::open sets them.
void create_version_10(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA foreign_keys=ON");
  for (const auto& migration : okr::storage::migrations()) {
    if (migration.version > 10)
      break;
    SQLite::Transaction tx(db);
    db.exec(migration.sql);
    SQLite::Statement record(db, "INSERT INTO schema_migrations (version, name, applied_at) "
                                 "VALUES (?, ?, '2026-11-01T00:00:00Z')");
    record.bind(1, migration.version);
    record.bind(2, migration.name);
    record.exec();
    tx.commit();
  }
}

void populate(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec("PRAGMA foreign_keys=ON");
  db.exec(R"sql(
INSERT INTO people (id, platform, workspace, user_ref) VALUES (4, 'slack', 'T1', 'U4');
INSERT INTO teams (id, name) VALUES (2, 'growth');
INSERT INTO inbox (id, platform, workspace, event_key, conversation, payload, status, received_at)
  VALUES (17, 'slack', 'T1', 'Ev17', 'D4', '{}', 'done', 100),
         (23, 'slack', 'T1', 'Ev23', 'D4', '{}', 'pending', 200);
INSERT INTO inbox_replies (inbox_id, address) VALUES (23, '{"kind":"response_url"}');
INSERT INTO outbox (id, platform, workspace, conversation, kind, payload, idempotency_key, status,
                    attempts, next_attempt_at, created_at)
  VALUES (31, 'slack', 'T1', 'D4', 'post', '{}', 'okr-31', 'sent', 1, 100, 100),
         (38, 'slack', 'T1', 'D4', 'post', '{}', 'okr-38', 'sending', 2, 300, 300);
INSERT INTO schedules (id, kind, person_id, team_id, recurrence, next_due_at, created_at, state)
  VALUES (5, 'checkin', 4, NULL, 'weekly mon 09:00', 1000, 50, 'active'),
         (9, 'digest', NULL, 2, 'weekly fri 16:00', NULL, 60, 'finished');
)sql");
}

std::string rows_of(Database& db, const std::string& sql) {
  SQLite::Statement q(db.handle(), sql);
  std::string out;
  while (q.executeStep()) {
    for (int i = 0; i < q.getColumnCount(); ++i)
      out += (i ? "|" : "") + q.getColumn(i).getString();
    out += ";";
  }
  return out;
}

bool refused(Database& db, const std::string& sql) {
  try {
    db.handle().exec(sql);
  } catch (const SQLite::Exception& e) {
    return std::string(e.what()).find("CHECK constraint failed") != std::string::npos;
  }
  return false;
}

void check_rules_hold(Database& db) {
  CHECK(refused(db, "INSERT INTO inbox (platform, workspace, event_key, conversation, payload, "
                    "status, received_at) VALUES ('slack', 'T1', 'bad', 'D', '{}', 'lost', 1)"));
  CHECK(refused(db, "INSERT INTO outbox (platform, workspace, conversation, kind, payload, "
                    "idempotency_key, status, next_attempt_at, created_at) "
                    "VALUES ('slack', 'T1', 'D', 'post', '{}', 'k', 'Pending', 1, 1)"));
  CHECK(refused(db, "INSERT INTO schedules (kind, team_id, recurrence, created_at, state) "
                    "VALUES ('digest', NULL, 'weekly mon 09:00', 1, 'paused')"));
  CHECK(refused(db, "INSERT INTO schedules (kind, person_id, recurrence, created_at) "
                    "VALUES ('nudge', NULL, 'weekly mon 09:00', 1)"));
  CHECK(refused(db, "UPDATE outbox SET status = 'gone'"));
  CHECK(refused(db, "UPDATE inbox SET status = ''"));
  CHECK(refused(db, "UPDATE schedules SET state = 'ACTIVE'"));
}

}  // namespace

TEST_CASE("after migration 11 a status outside the allowed values is still refused", "[storage][migration]") {
  TempDir dir;
  auto db = Database::open(dir.file("fresh.db"));
  db.migrate();
  db.handle().exec("INSERT INTO teams (id, name) VALUES (2, 'growth')");
  // Every value that was allowed before still is.
  for (const char* status : {"pending", "done", "failed"})
    CHECK_NOTHROW(db.handle().exec(std::string("INSERT INTO inbox (platform, workspace, event_key, "
        "conversation, payload, status, received_at) VALUES ('slack', 'T1', 'e-") + status +
        "', 'D', '{}', '" + status + "', 1)"));
  for (const char* status : {"pending", "sending", "sent", "dead"})
    CHECK_NOTHROW(db.handle().exec(std::string("INSERT INTO outbox (platform, workspace, "
        "conversation, kind, payload, idempotency_key, status, next_attempt_at, created_at) "
        "VALUES ('slack', 'T1', 'D', 'post', '{}', 'k', '") + status + "', 1, 1)"));
  for (const char* kind : {"checkin", "reminder", "reflect", "digest"})
    for (const char* state : {"active", "finished", "stopped"})
      CHECK_NOTHROW(db.handle().exec(std::string("INSERT INTO schedules (kind, team_id, recurrence, "
          "created_at, state) VALUES ('") + kind + "', 2, 'weekly mon 09:00', 1, '" + state + "')"));
  // With rows in every table, so the UPDATEs below have something to refuse.
  check_rules_hold(db);
}

TEST_CASE("the status rules no longer use IN lists after migration 11", "[storage][migration]") {
  TempDir dir;
  auto db = Database::open(dir.file("schema.db"));
  db.migrate();
  for (const char* table : {"inbox", "outbox", "schedules"}) {
    SQLite::Statement q(db.handle(), "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?");
    q.bind(1, table);
    REQUIRE(q.executeStep());
    const auto sql = q.getColumn(0).getString();
    INFO(table << ": " << sql);
    CHECK(sql.find("status IN") == std::string::npos);
    CHECK(sql.find("state IN") == std::string::npos);
    CHECK(sql.find("kind IN") == std::string::npos);
  }
  CHECK(rows_of(db, "SELECT name FROM sqlite_schema WHERE name LIKE '%v11%'").empty());
}

TEST_CASE("a populated version 10 database keeps its rows and ids through migration 11", "[storage][migration]") {
  TempDir dir;
  const auto path = dir.file("v10.db");
  create_version_10(path);
  populate(path);

  auto db = Database::open(path);
  REQUIRE(db.schema_version() == 10);
  CHECK(db.migrate() == Database::latest_schema_version() - 10);
  REQUIRE(db.schema_version() >= 11);

  CHECK(rows_of(db, "SELECT id, event_key, status, received_at FROM inbox ORDER BY id") ==
        "17|Ev17|done|100;23|Ev23|pending|200;");
  CHECK(rows_of(db, "SELECT inbox_id, address FROM inbox_replies") == "23|{\"kind\":\"response_url\"};");
  CHECK(rows_of(db, "SELECT id, idempotency_key, status, attempts FROM outbox ORDER BY id") ==
        "31|okr-31|sent|1;38|okr-38|sending|2;");
  CHECK(rows_of(db, "SELECT id, kind, coalesce(person_id, ''), coalesce(team_id, ''), "
                    "coalesce(next_due_at, ''), state FROM schedules ORDER BY id") ==
        "5|checkin|4||1000|active;9|digest||2||finished;");
  // The indexes came back, including the partial one the scheduler's due query walks.
  CHECK(rows_of(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN "
                    "('inbox', 'outbox', 'schedules') AND sql IS NOT NULL ORDER BY name") ==
        "inbox_pending;outbox_conversation;outbox_due;schedules_by_person;schedules_by_team;schedules_due;");
  CHECK(rows_of(db, "PRAGMA foreign_key_check").empty());
  CHECK(rows_of(db, "PRAGMA integrity_check") == "ok;");
  // New rows continue after the copied ids, and the references still act.
  db.handle().exec("INSERT INTO outbox (platform, workspace, conversation, kind, payload, "
                   "idempotency_key, next_attempt_at, created_at) VALUES ('slack', 'T1', 'D4', 'post', '{}', '', 1, 1)");
  CHECK(db.handle().getLastInsertRowid() == 39);
  db.handle().exec("DELETE FROM inbox WHERE id = 23");
  CHECK(rows_of(db, "SELECT count(*) FROM inbox_replies") == "0;");
  db.handle().exec("DELETE FROM people WHERE id = 4");
  CHECK(rows_of(db, "SELECT id FROM schedules ORDER BY id") == "9;");
  check_rules_hold(db);
}

TEST_CASE("migration 11 leaves version 10 untouched when a reply points at a missing inbox entry",
          "[storage][migration]") {
  TempDir dir;
  const auto path = dir.file("broken.db");
  create_version_10(path);
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA foreign_keys=OFF");
    raw.exec("INSERT INTO inbox_replies (inbox_id, address) VALUES (404, '{}')");
  }
  auto db = Database::open(path);
  CHECK_THROWS(db.migrate());
  CHECK(db.schema_version() == 10);
  CHECK(rows_of(db, "SELECT name FROM sqlite_schema WHERE name LIKE '%v11%'").empty());
  CHECK(rows_of(db, "SELECT inbox_id FROM inbox_replies") == "404;");
}
