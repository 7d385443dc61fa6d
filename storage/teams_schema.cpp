#include "storage/teams_schema.hpp"

namespace okr::storage {

const char* teams_schema_sql() {
  // One row per Bot Framework conversation the coach has seen or opened. A person's 1:1 chat is
  // found by (tenant, user, personal); `stale` keeps a reference the connector refused (app
  // removed) so a later install can revive it without losing the greeting flag.
  return R"sql(
CREATE TABLE teams_conversations (
  tenant_id         TEXT NOT NULL CHECK (tenant_id <> ''),
  conversation_id   TEXT NOT NULL CHECK (conversation_id <> ''),
  conversation_type TEXT NOT NULL DEFAULT 'personal',
  service_url       TEXT NOT NULL CHECK (service_url <> ''),
  channel_id        TEXT NOT NULL DEFAULT 'msteams',
  bot_id            TEXT NOT NULL DEFAULT '',
  user_id           TEXT NOT NULL DEFAULT '',
  user_name         TEXT NOT NULL DEFAULT '',
  aad_object_id     TEXT NOT NULL DEFAULT '',
  locale            TEXT NOT NULL DEFAULT '',
  time_zone         TEXT NOT NULL DEFAULT '',
  last_activity_id  TEXT NOT NULL DEFAULT '',
  greeted           INTEGER NOT NULL DEFAULT 0,
  stale             INTEGER NOT NULL DEFAULT 0,
  updated_at        INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, conversation_id)
);
CREATE INDEX teams_conversations_user ON teams_conversations (tenant_id, user_id, conversation_type);
)sql";
}

}  // namespace okr::storage
