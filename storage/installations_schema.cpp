#include "storage/installations_schema.hpp"

namespace okr::storage {

const char* installations_schema_sql() {
  // Tokens are stored sealed by bot/secrets (never plain); storage only keeps the text. A
  // workspace without a row falls back to SLACK_BOT_TOKEN, so one-workspace installs need none.
  return R"sql(
CREATE TABLE slack_installations (
  team_id             TEXT PRIMARY KEY CHECK (team_id <> ''),
  enterprise_id       TEXT NOT NULL DEFAULT '',
  team_name           TEXT NOT NULL DEFAULT '',
  bot_user_id         TEXT NOT NULL DEFAULT '',
  bot_token_sealed    TEXT NOT NULL CHECK (bot_token_sealed <> ''),
  refresh_token_sealed TEXT NOT NULL DEFAULT '',
  token_expires_at    INTEGER,
  scopes              TEXT NOT NULL DEFAULT '',
  installer_user_id   TEXT NOT NULL DEFAULT '',
  installed_at        INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
)sql";
}

}  // namespace okr::storage
