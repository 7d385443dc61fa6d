#pragma once
// What the web page sends, recorded in one transaction: the inbox entry the turn will answer
// (deduplicated on the page's own message id) and the person's line in the web conversation
// log, so the page shows what was said as soon as it is accepted and a retry adds neither twice.
#include <string>

#include "dialogs/domain.hpp"
#include "dialogs/message.hpp"

namespace okr::storage {

class Database;

struct WebInboundRecord {
  dialogs::Id inbox_id = 0;
  dialogs::Id log_id = 0;   // the person's entry in web_messages
  bool duplicate = false;   // seen before: nothing new was written, no turn is owed
};

// `shown` is the line the log keeps for the person (their text, or the label they clicked).
WebInboundRecord record_web_inbound(Database& db, const std::string& event_key,
                                    const dialogs::Inbound& message, const std::string& shown,
                                    dialogs::TimePoint at);

}  // namespace okr::storage
