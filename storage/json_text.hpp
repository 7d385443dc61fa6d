#pragma once
// Inside storage/ only: JSON text for the flat objects written on the acknowledgement path (an
// inbox entry's message and reply address), without building a nlohmann::json tree first. That
// tree cost more than the INSERT it feeds (callgrind, per Slack event: ~46 k instructions for
// the message, ~22 k for the address). What is written here reads back with nlohmann::json.
#include <string>
#include <string_view>

namespace okr::storage {

// Appends `text` as a JSON string literal: quotes, backslashes and control characters escaped;
// valid UTF-8 kept as it is; a byte that starts no valid UTF-8 sequence becomes U+FFFD, so the
// text always reads back (nlohmann::json refuses to write such a byte and to read it).
void append_json_string(std::string& out, std::string_view text);

// A JSON object of string members, written in the order they are added.
class FlatJsonObject {
 public:
  FlatJsonObject& add(std::string_view key, std::string_view value);
  // A member whose value is JSON text already (a nested object taken from another builder).
  FlatJsonObject& add_json(std::string_view key, std::string_view json_text);
  // The finished object ("{}" when nothing was added); the builder is empty afterwards.
  std::string take();

 private:
  std::string text_;
};

}  // namespace okr::storage
