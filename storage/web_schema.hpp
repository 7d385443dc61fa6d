#pragma once
// Migration 5 (web_channel): the web channel (issue 7). Same conventions as the domain schema:
// INTEGER unix seconds, enum names guarded by CHECK constraints.
//  - web_messages: the conversation of each web person, in order, as the page shows it (what
//    they said and what the coach answered). The page polls it, so a reload shows the whole
//    conversation and an interrupted dialog carries on where it was.
namespace okr::storage {

const char* web_schema_sql();

}  // namespace okr::storage
