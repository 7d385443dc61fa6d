#pragma once
// Migration 9 (team_channels): a team bound to a chat channel (its members come from the
// channel), the person's open team-setup question, and which coach got which reflection.
namespace okr::storage {

const char* team_channels_schema_sql();

}  // namespace okr::storage
