#pragma once
// Migration 5 (web_channel): the web channel (issue 7). Same conventions as the domain schema: INTEGER unix seconds, enum
// names guarded by CHECK constraints.
namespace okr::storage {

const char* web_schema_sql();

}  // namespace okr::storage
