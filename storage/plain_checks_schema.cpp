#include "storage/plain_checks_schema.hpp"

namespace okr::storage {

// SQLite cannot alter a CHECK in place, so each table is rebuilt the way its documentation
// describes for "other kinds of table schema changes": create the new table, copy the rows
// with their ids, drop the old one, rename, recreate its indexes. All of it runs inside the
// migration's transaction, so a failure leaves the version 10 schema untouched.
//
// Foreign keys stay on (PRAGMA foreign_keys cannot change inside a transaction), which matters
// twice: dropping `inbox` would cascade-delete `inbox_replies`, so those rows are set aside
// first and put back after; and every copied `schedules` row is checked against people and
// teams as it goes in. The last step re-checks the rebuilt tables' references in case the
// connection had foreign keys off, and fails the migration (CHECK no_broken_references) if any
// are broken.
//
// This text is a snapshot of the version 10 columns: never edit it after it has shipped.
const char* plain_checks_schema_sql() {
  return R"sql(
CREATE TABLE inbox_replies_v11 AS SELECT inbox_id, address FROM inbox_replies;
DROP TABLE inbox_replies;

CREATE TABLE inbox_v11 (
  id          INTEGER PRIMARY KEY,
  platform    TEXT NOT NULL CHECK (platform <> ''),
  workspace   TEXT NOT NULL,
  event_key   TEXT NOT NULL CHECK (event_key <> ''),
  conversation TEXT NOT NULL,
  payload     TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'pending'
              CHECK (status = 'pending' OR status = 'done' OR status = 'failed'),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT NOT NULL DEFAULT '',
  received_at INTEGER NOT NULL,
  done_at     INTEGER,
  UNIQUE (platform, workspace, event_key)
);
INSERT INTO inbox_v11 (id, platform, workspace, event_key, conversation, payload, status,
                       attempts, last_error, received_at, done_at)
  SELECT id, platform, workspace, event_key, conversation, payload, status,
         attempts, last_error, received_at, done_at FROM inbox;
DROP TABLE inbox;
ALTER TABLE inbox_v11 RENAME TO inbox;
CREATE INDEX inbox_pending ON inbox (status, id);

CREATE TABLE inbox_replies (
  inbox_id INTEGER PRIMARY KEY REFERENCES inbox (id) ON DELETE CASCADE,
  address  TEXT NOT NULL CHECK (json_valid(address))
);
INSERT INTO inbox_replies (inbox_id, address) SELECT inbox_id, address FROM inbox_replies_v11;
DROP TABLE inbox_replies_v11;

CREATE TABLE outbox_v11 (
  id              INTEGER PRIMARY KEY,
  platform        TEXT NOT NULL CHECK (platform <> ''),
  workspace       TEXT NOT NULL,
  conversation    TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind <> ''),  -- post, update, ephemeral, response_url, view_publish, ...
  payload         TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status = 'pending' OR status = 'sending' OR status = 'sent' OR status = 'dead'),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT NOT NULL DEFAULT '',
  sent_ref        TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
INSERT INTO outbox_v11 (id, platform, workspace, conversation, kind, payload, idempotency_key,
                        status, attempts, next_attempt_at, last_error, sent_ref, created_at, sent_at)
  SELECT id, platform, workspace, conversation, kind, payload, idempotency_key,
         status, attempts, next_attempt_at, last_error, sent_ref, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v11 RENAME TO outbox;
CREATE INDEX outbox_conversation ON outbox (platform, workspace, conversation, status, id);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE schedules_v11 (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL
                CHECK (kind = 'checkin' OR kind = 'reminder' OR kind = 'reflect' OR kind = 'digest'),
  person_id     INTEGER REFERENCES people(id) ON DELETE CASCADE,
  team_id       INTEGER REFERENCES teams(id) ON DELETE CASCADE,
  channel       TEXT NOT NULL DEFAULT '',
  recurrence    TEXT NOT NULL CHECK (recurrence <> ''),
  time_zone     TEXT NOT NULL DEFAULT 'UTC',
  dialog        TEXT NOT NULL DEFAULT '',
  team_default  INTEGER NOT NULL DEFAULT 0 CHECK (team_default IN (0, 1)),
  next_due_at   INTEGER,
  created_by    INTEGER REFERENCES people(id) ON DELETE SET NULL,
  created_at    INTEGER NOT NULL,
  last_fired_at INTEGER,
  state         TEXT NOT NULL DEFAULT 'active'
                CHECK (state = 'active' OR state = 'finished' OR state = 'stopped'),
  CHECK (person_id IS NOT NULL OR team_id IS NOT NULL)
);
INSERT INTO schedules_v11 (id, kind, person_id, team_id, channel, recurrence, time_zone, dialog,
                           team_default, next_due_at, created_by, created_at, last_fired_at, state)
  SELECT id, kind, person_id, team_id, channel, recurrence, time_zone, dialog,
         team_default, next_due_at, created_by, created_at, last_fired_at, state FROM schedules;
DROP TABLE schedules;
ALTER TABLE schedules_v11 RENAME TO schedules;
CREATE INDEX schedules_due ON schedules(next_due_at) WHERE state = 'active';
CREATE INDEX schedules_by_person ON schedules(person_id);
CREATE INDEX schedules_by_team ON schedules(team_id);

CREATE TABLE broken_references_v11 (
  count INTEGER NOT NULL CONSTRAINT no_broken_references CHECK (count = 0)
);
INSERT INTO broken_references_v11 (count)
  SELECT (SELECT count(*) FROM pragma_foreign_key_check('inbox_replies')) +
         (SELECT count(*) FROM pragma_foreign_key_check('schedules'));
DROP TABLE broken_references_v11;
)sql";
}

}  // namespace okr::storage
