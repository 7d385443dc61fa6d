#pragma once
// Migration 7 (team_history): when people joined their teams, for digests. Same conventions as
// the domain schema: INTEGER unix seconds.
namespace okr::storage {

const char* team_history_schema_sql();

}  // namespace okr::storage
