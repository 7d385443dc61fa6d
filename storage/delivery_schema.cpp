#include "storage/delivery_schema.hpp"

namespace okr::storage {

const char* delivery_schema_sql() {
  return R"sql(
-- Where the replies of an inbox entry go, kept with the entry so a turn run again after a
-- restart answers the same way (a slash command's response_url, not the DM). The address is
-- JSON (platform, workspace, conversation, kind, user, target, thread) like the outbox payload.
CREATE TABLE inbox_replies (
  inbox_id INTEGER PRIMARY KEY REFERENCES inbox (id) ON DELETE CASCADE,
  address  TEXT NOT NULL CHECK (json_valid(address))
);
)sql";
}

}  // namespace okr::storage
