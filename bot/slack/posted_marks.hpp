#pragma once
// Telling whether a chat.postMessage already went through, for re-sends whose first call has
// no known outcome (the process was killed between Slack's answer and the outbox's `sent` mark,
// or the answer was lost on the way: a timeout, a dropped connection). chat.postMessage has no
// idempotency key, so each part we post carries one in Slack's message metadata, and before a
// re-send the sender reads the DM's recent history for it (conversations.history; the im:history
// scope the message.im subscription already needs).
#include <chrono>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace okr::bot::slack {

class WebApi;

inline constexpr const char* kPostedMarkEventType = "okrcoach_outbox_mark";

// The mark of part `part` of the outbox row whose idempotency key is `key`.
std::string posted_mark(const std::string& key, std::size_t part);
// chat.postMessage's `metadata` argument carrying `mark`.
nlohmann::json posted_mark_metadata(const std::string& mark);

// The marks found on messages in `channel` posted since `since`. Throws SlackApiError like any
// call (the caller decides what an unanswered lookup means).
std::set<std::string> posted_marks_since(WebApi& api, const std::string& channel,
                                         std::chrono::sys_seconds since);

}  // namespace okr::bot::slack
