#include "bot/slack/posted_marks.hpp"

#include "bot/slack/web_api.hpp"

namespace okr::bot::slack {

using nlohmann::json;

std::string posted_mark(const std::string& key, std::size_t part) {
  return key + "/" + std::to_string(part);
}

json posted_mark_metadata(const std::string& mark) {
  return {{"event_type", kPostedMarkEventType}, {"event_payload", {{"mark", mark}}}};
}

std::set<std::string> posted_marks_since(WebApi& api, const std::string& channel,
                                         std::chrono::sys_seconds since) {
  // A minute of slack for clocks that disagree; a DM has few messages in that window, so one
  // page is enough (a mark beyond it is missed and the part re-sent: at-least-once, as before).
  const auto oldest = since.time_since_epoch().count() - 60;
  const json page = api.call_form("conversations.history", {{"channel", channel},
                                                            {"oldest", std::to_string(oldest)},
                                                            {"limit", "200"},
                                                            {"include_all_metadata", "true"}});
  std::set<std::string> marks;
  const auto messages = page.find("messages");
  if (messages == page.end() || !messages->is_array())
    return marks;
  for (const auto& message : *messages) {
    if (!message.is_object())
      continue;
    const auto metadata = message.find("metadata");
    if (metadata == message.end() || !metadata->is_object() ||
        metadata->value("event_type", "") != kPostedMarkEventType)
      continue;
    const auto payload = metadata->find("event_payload");
    if (payload != metadata->end() && payload->is_object()) {
      const auto mark = payload->find("mark");
      if (mark != payload->end() && mark->is_string())
        marks.insert(mark->get<std::string>());
    }
  }
  return marks;
}

}  // namespace okr::bot::slack
