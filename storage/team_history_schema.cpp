#include "storage/team_history_schema.hpp"

namespace okr::storage {

const char* team_history_schema_sql() {
  // Reserved while the feature is written; replaced by its tables before it ships.
  return "SELECT 1;";
}

}  // namespace okr::storage
