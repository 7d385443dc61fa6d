#include "bot/pipeline/inbox_recovery.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "bot/pipeline/sequencer.hpp"

namespace okr::bot::pipeline {

std::string conversation_key(const dialogs::Inbound& message) {
  return message.platform + "|" + message.workspace + "|" + message.conversation;
}

std::size_t resume_pending(storage::Database& db, Sequencer& sequencer,
                           const std::string& platform,
                           std::function<void(const storage::InboxEntry&)> process,
                           std::size_t chunk) {
  chunk = std::max<std::size_t>(chunk, 1);
  storage::Inbox inbox(db);
  std::size_t queued = 0;
  dialogs::Id after = 0;
  for (;;) {
    const auto pending = inbox.pending_after(after, platform, chunk);
    for (const auto& entry : pending) {
      after = entry.id;
      if (sequencer.submit(conversation_key(entry.message), [entry, process] { process(entry); }))
        ++queued;
    }
    if (pending.size() < chunk)
      break;
  }
  if (queued > 0)
    spdlog::info("resuming {} inbound event(s) left unfinished by the last run", queued);
  return queued;
}

}  // namespace okr::bot::pipeline
