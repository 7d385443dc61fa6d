#pragma once
// Migration 8 (teams_conversations): stored Bot Framework conversation references, so the coach
// can write to a person first (nudges). Same conventions as the domain schema.
namespace okr::storage {

const char* teams_schema_sql();

}  // namespace okr::storage
