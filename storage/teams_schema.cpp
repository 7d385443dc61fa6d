#include "storage/teams_schema.hpp"

namespace okr::storage {

const char* teams_schema_sql() {
  // Reserved while the feature is written; replaced by its tables before it ships.
  return "SELECT 1;";
}

}  // namespace okr::storage
