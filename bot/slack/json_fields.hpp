#pragma once
// Reading optional string fields from Slack JSON without throwing on a wrong type: a payload
// from the network is data, not a bug.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace okr::bot::slack {

// The string at `key` in `object`; nullopt when absent, null or not a string.
inline std::optional<std::string> string_field(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) {
    return std::nullopt;
  }
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

// The object at `key`; a null json when absent or not an object.
inline const nlohmann::json& object_field(const nlohmann::json& object, std::string_view key) {
  static const nlohmann::json kNone;
  if (!object.is_object()) {
    return kNone;
  }
  const auto it = object.find(key);
  return it != object.end() && it->is_object() ? *it : kNone;
}

}  // namespace okr::bot::slack
