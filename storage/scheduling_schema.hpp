#pragma once
// Migration 4 (scheduling): the schedules table (issue 5). Same conventions as the domain schema: INTEGER unix seconds, enum
// names guarded by CHECK constraints.
namespace okr::storage {

const char* scheduling_schema_sql();

}  // namespace okr::storage
