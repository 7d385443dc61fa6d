#include "storage/messaging_schema.hpp"

namespace okr::storage {

const char* messaging_schema_sql() {
  return R"sql(
CREATE TABLE inbox (
  id          INTEGER PRIMARY KEY,
  platform    TEXT NOT NULL CHECK (platform <> ''),
  workspace   TEXT NOT NULL,
  event_key   TEXT NOT NULL CHECK (event_key <> ''),
  conversation TEXT NOT NULL,
  payload     TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT NOT NULL DEFAULT '',
  received_at INTEGER NOT NULL,
  done_at     INTEGER,
  UNIQUE (platform, workspace, event_key)
);
-- Restart recovery reads only the pending ones, oldest first.
CREATE INDEX inbox_pending ON inbox (status, id);

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  platform        TEXT NOT NULL CHECK (platform <> ''),
  workspace       TEXT NOT NULL,
  conversation    TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind <> ''),  -- post, update, ephemeral, response_url, view_publish, ...
  payload         TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT NOT NULL DEFAULT '',
  sent_ref        TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
-- "The oldest unsent row of each conversation" and "what is due" both walk these.
CREATE INDEX outbox_conversation ON outbox (platform, workspace, conversation, status, id);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
)sql";
}

}  // namespace okr::storage
