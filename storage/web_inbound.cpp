#include "storage/web_inbound.hpp"

#include <SQLiteCpp/Database.h>

#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/inbox.hpp"
#include "storage/web_messages.hpp"
#include "storage/write_scope.hpp"

namespace okr::storage {

WebInboundRecord record_web_inbound(Database& db, const std::string& event_key,
                                    const dialogs::Inbound& message, const std::string& shown,
                                    dialogs::TimePoint at) {
  return guarded("recording a web message of " + message.user, [&] {
    WriteScope scope(db.handle());
    WebInboundRecord result;
    const auto recorded = Inbox(db).record(event_key, message, at);
    result.inbox_id = recorded.id;
    result.duplicate = recorded.duplicate;
    dialogs::Outbound line;
    line.text = shown;
    // Keyed like the inbox entry, so a duplicate finds the line it wrote the first time.
    result.log_id = WebMessages(db).append(message.workspace, message.user, WebAuthor::person,
                                           line, "in:" + event_key, at);
    scope.commit();
    return result;
  });
}

}  // namespace okr::storage
