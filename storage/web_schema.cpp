#include "storage/web_schema.hpp"

namespace okr::storage {

const char* web_schema_sql() {
  // source_key is unique: the outbox re-sends a row after a crash with the same idempotency key,
  // and the page re-posts a message with the same client id after a network error; either way
  // the conversation shows it once.
  return R"sql(
CREATE TABLE web_messages (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace  TEXT NOT NULL,
  person_ref TEXT NOT NULL,
  author     TEXT NOT NULL CHECK (author IN ('person', 'coach')),
  message    TEXT NOT NULL,
  source_key TEXT UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE INDEX web_messages_by_person ON web_messages(workspace, person_ref, id);
)sql";
}

}  // namespace okr::storage
