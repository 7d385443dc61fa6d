#pragma once
// After a restart, the events we acknowledged but never finished are still pending in the
// inbox. They are queued again, oldest first, each behind its own conversation, so every
// conversation resumes in the order its messages arrived.
#include <cstddef>
#include <functional>
#include <string>

#include "dialogs/message.hpp"
#include "storage/inbox.hpp"

namespace okr::storage {
class Database;
}

namespace okr::bot::pipeline {

class Sequencer;

// The sequencer key of a conversation: one platform's workspace's conversation.
std::string conversation_key(const dialogs::Inbound& message);

// Submits `process(entry)` for every pending inbox entry of `platform`, in arrival order, under
// the entry's conversation key. Reads the inbox on the calling thread, `chunk` entries per
// query, with no cap on the total (call it at start-up, before the server accepts requests).
// Returns how many were queued.
std::size_t resume_pending(storage::Database& db, Sequencer& sequencer,
                           const std::string& platform,
                           std::function<void(const storage::InboxEntry&)> process,
                           std::size_t chunk = 1000);

}  // namespace okr::bot::pipeline
