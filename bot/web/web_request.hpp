#pragma once
// What the page sends to POST /web/api/messages, checked before anything is stored:
//   {"text": "...", "client_id": "..."}   typed text
//   {"action": {"id": "...", "value": "...", "label": "..."}, "client_id": "..."}   a click
// client_id (optional, [A-Za-z0-9_-], at most 64) is the page's own id of the message: a retry
// after a network error sends the same one and is recognised. label is what the person clicked,
// kept in the conversation log so a reload shows it as they saw it.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "dialogs/domain.hpp"
#include "dialogs/message.hpp"

namespace okr::bot::web {

inline constexpr std::size_t kMaxTextLength = 4000;

struct WebPost {
  std::string text;
  std::optional<dialogs::Action> action;
  std::string shown;      // the line the log keeps for the person
  std::string client_id;  // empty when the page sent none
};

struct ParsedPost {
  std::optional<WebPost> post;
  std::string problem;  // when post is empty: what is wrong, in a sentence naming the field
};

ParsedPost parse_web_post(std::string_view body);

// `after` of GET /web/api/messages?after=ID: 0 when absent; nullopt (with `problem`) when it is
// not a whole number >= 0.
std::optional<dialogs::Id> parse_after(std::string_view query, std::string& problem);

// The longest a GET /web/api/messages?wait=SECONDS long poll is held open: short enough for
// proxies' idle timeouts (often 60 s), long enough that an idle page asks about twice a minute.
inline constexpr std::chrono::seconds kMaxWait{30};

// `wait` of GET /web/api/messages: 0 when absent (answer at once), capped at kMaxWait; nullopt
// (with `problem`) when it is not a whole number >= 0.
std::optional<std::chrono::seconds> parse_wait(std::string_view query, std::string& problem);

// The value of `name` in a raw query string (not percent-decoded), when present.
std::optional<std::string_view> query_parameter(std::string_view query, std::string_view name);

}  // namespace okr::bot::web
