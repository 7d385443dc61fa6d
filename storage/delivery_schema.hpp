#pragma once
// Migration 6 (slack_delivery): delivery bookkeeping of the chat channels (issue 4): the reply
// address of each inbox entry. Same conventions as the domain schema.
namespace okr::storage {

const char* delivery_schema_sql();

}  // namespace okr::storage
