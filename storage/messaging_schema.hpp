#pragma once
// Migration 3: the durable inbox (inbound events, deduplicated on the platform's event id) and
// the outbox (messages waiting to be sent). Same conventions as the domain schema: INTEGER unix
// seconds, enum names guarded by CHECK constraints; message bodies are JSON text of the neutral
// model (dialogs/message_json.hpp), so a new message field needs no migration.
namespace okr::storage {

const char* messaging_schema_sql();

}  // namespace okr::storage
