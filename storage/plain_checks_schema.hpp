#pragma once
// Migration 11 (plain_status_checks): the status rules of the inbox, the outbox and the
// schedules written as `x = 'a' OR x = 'b' ...` instead of `x IN ('a', 'b', ...)`. The same values
// are allowed; SQLite builds a temporary b-tree for a constant IN list of three or more values
// on every statement that checks it, and these rules are checked by every turn and every nudge.
namespace okr::storage {

const char* plain_checks_schema_sql();

}  // namespace okr::storage
