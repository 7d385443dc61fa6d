#include "storage/migrations.hpp"

#include "storage/domain_schema.hpp"
#include "storage/installations_schema.hpp"
#include "storage/delivery_schema.hpp"
#include "storage/messaging_schema.hpp"
#include "storage/plain_checks_schema.hpp"
#include "storage/scheduling_schema.hpp"
#include "storage/team_channels_schema.hpp"
#include "storage/team_history_schema.hpp"
#include "storage/teams_schema.hpp"
#include "storage/web_schema.hpp"

namespace okr::storage {

// HOW TO ADD A MIGRATION
// Append one entry at the end of the list below with the next version number (no gaps, never
// reorder, never edit an entry that has shipped: a database remembers which versions it has
// applied, so an edited entry would silently never run on existing databases). Put a long
// script in its own file (e.g. storage/domain_schema.cpp) and call it here. The migration runs
// inside one IMMEDIATE transaction together with its schema_migrations row, so it is applied
// entirely or not at all. The unit test "the migration list is ordered without gaps" guards
// the numbering.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> list = {
      {1, "bookkeeping", R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL
);
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql"},
      {2, "coaching_domain", domain_schema_sql()},
      {3, "inbox_and_outbox", messaging_schema_sql()},
      {4, "scheduling", scheduling_schema_sql()},
      {5, "web_channel", web_schema_sql()},
      {6, "slack_delivery", delivery_schema_sql()},
      {7, "team_history", team_history_schema_sql()},
      {8, "teams_conversations", teams_schema_sql()},
      {9, "team_channels", team_channels_schema_sql()},
      {10, "slack_installations", installations_schema_sql()},
      {11, "plain_status_checks", plain_checks_schema_sql()},
  };
  return list;
}

}  // namespace okr::storage
