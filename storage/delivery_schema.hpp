#pragma once
// Migration 6 (slack_delivery): Slack delivery bookkeeping (issue 4). Same conventions as the domain schema: INTEGER unix seconds, enum
// names guarded by CHECK constraints.
namespace okr::storage {

const char* delivery_schema_sql();

}  // namespace okr::storage
