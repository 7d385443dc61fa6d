#pragma once
// Migration 10 (slack_installations): one row per Slack workspace installed through OAuth.
namespace okr::storage {

const char* installations_schema_sql();

}  // namespace okr::storage
