#include "bot/pipeline/inbox_recovery.hpp"

#include <spdlog/spdlog.h>

#include "bot/pipeline/sequencer.hpp"

namespace okr::bot::pipeline {

std::string conversation_key(const dialogs::Inbound& message) {
  return message.platform + "|" + message.workspace + "|" + message.conversation;
}

std::size_t resume_pending(storage::Database& db, Sequencer& sequencer,
                           std::function<void(const storage::InboxEntry&)> process) {
  const auto pending = storage::Inbox(db).pending();
  std::size_t queued = 0;
  for (const auto& entry : pending) {
    if (sequencer.submit(conversation_key(entry.message), [entry, process] { process(entry); }))
      ++queued;
  }
  if (queued > 0)
    spdlog::info("resuming {} inbound event(s) left unfinished by the last run", queued);
  return queued;
}

}  // namespace okr::bot::pipeline
