#pragma once
// The members of an Events API body that parse_event decides on, read in one pass over the JSON
// (json_sax.hpp: the whole body is checked as JSON, and no tree is built). Building the tree of
// a message event, blocks and all, cost more than everything else done on the acknowledgement
// path before the inbox write (callgrind: ~34 k instructions per event).
//
// Reads as nlohmann::json's tree would: a member given twice counts as its last value, a string
// member holding anything else reads as absent.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace okr::bot::slack {

// The members of the inner `event` that are read (a type of its own: clang cannot default-
// construct a nested struct with member initializers inside its enclosing class's optional).
struct InnerEventFields {
  std::optional<std::string> type;
  std::optional<std::string> user;
  std::optional<std::string> subtype;
  std::optional<std::string> channel_type;
  std::optional<std::string> channel;
  std::optional<std::string> text;
  std::optional<std::string> ts;
  std::optional<std::string> thread_ts;
  std::optional<std::string> tab;
  bool has_bot_id = false;       // whatever its value
  bool has_bot_profile = false;  // whatever its value
  bool tokens_is_object = false;
  // How many entries `tokens.bot` lists; nullopt when it is absent or not a list.
  std::optional<std::size_t> bot_tokens;
};

struct EventBodyFields {
  enum class Shape { object, not_json, not_object };
  Shape shape = Shape::not_json;

  // The envelope.
  std::optional<std::string> type;
  std::optional<std::string> challenge;
  std::optional<std::string> event_id;
  std::optional<std::string> team_id;
  std::optional<std::string> enterprise_id;
  // `user_id` of the first entry of `authorizations` whose `is_bot` is true ("" when that entry
  // has none, or no entry is a bot).
  std::string authorized_bot;

  // The inner `event`, when it is an object.
  using Event = InnerEventFields;
  std::optional<Event> event;
};

EventBodyFields read_event_body(std::string_view body);

}  // namespace okr::bot::slack
