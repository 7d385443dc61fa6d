#include "storage/team_history_schema.hpp"

namespace okr::storage {

const char* team_history_schema_sql() {
  // joined_at is stamped when a role is granted. It stays NULL for rows that existed before this
  // migration: nobody knows when those people joined, so digests treat them as members of every
  // week rather than inventing a date (ALTER TABLE cannot add a column with a unixepoch() default).
  return R"sql(
ALTER TABLE memberships ADD COLUMN joined_at INTEGER;
)sql";
}

}  // namespace okr::storage
