#include "bot/web/web_request.hpp"

#include <algorithm>
#include <string>

#include <cctype>
#include <charconv>

#include <nlohmann/json.hpp>

#include "dialogs/words.hpp"

namespace okr::bot::web {
namespace {

bool valid_client_id(const std::string& id) {
  if (id.empty() || id.size() > 64)
    return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
      return false;
  }
  return true;
}

ParsedPost problem(std::string text) {
  return {std::nullopt, std::move(text)};
}

}  // namespace

ParsedPost parse_web_post(std::string_view body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded())
    return problem("The body is not valid JSON.");
  if (!json.is_object())
    return problem("The body must be a JSON object with \"text\" or \"action\".");
  WebPost post;
  if (json.contains("client_id")) {
    if (!json["client_id"].is_string() || !valid_client_id(json["client_id"].get<std::string>()))
      return problem("\"client_id\" must be 1 to 64 letters, digits, '-' or '_'.");
    post.client_id = json["client_id"].get<std::string>();
  }
  const bool has_text = json.contains("text");
  const bool has_action = json.contains("action");
  if (has_text == has_action)
    return problem("Send exactly one of \"text\" or \"action\".");
  if (has_text) {
    if (!json["text"].is_string())
      return problem("\"text\" must be a string.");
    post.text = std::string(dialogs::trim(json["text"].get<std::string>()));
    if (post.text.empty())
      return problem("\"text\" is empty.");
    if (post.text.size() > kMaxTextLength)
      return problem("\"text\" is longer than " + std::to_string(kMaxTextLength) + " characters.");
    post.shown = post.text;
    return {std::move(post), {}};
  }
  const auto& action = json["action"];
  if (!action.is_object() || !action.contains("id") || !action["id"].is_string() ||
      !action.contains("value") || !action["value"].is_string())
    return problem("\"action\" must be an object with string fields \"id\" and \"value\".");
  dialogs::Action chosen{action["id"].get<std::string>(), action["value"].get<std::string>()};
  if (chosen.id.empty() || chosen.id.size() > 200 || chosen.value.size() > 200)
    return problem("\"action.id\" must be 1 to 200 characters and \"action.value\" at most 200.");
  post.shown = chosen.value;
  if (action.contains("label")) {
    if (!action["label"].is_string() || action["label"].get<std::string>().size() > 200)
      return problem("\"action.label\" must be a string of at most 200 characters.");
    if (!action["label"].get<std::string>().empty())
      post.shown = action["label"].get<std::string>();
  }
  post.action = std::move(chosen);
  return {std::move(post), {}};
}

std::optional<std::string_view> query_parameter(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto equals = pair.find('=');
    const auto key = pair.substr(0, equals);
    if (key == name)
      return equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    if (amp == std::string_view::npos)
      break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::optional<dialogs::Id> parse_after(std::string_view query, std::string& problem) {
  const auto text = query_parameter(query, "after");
  if (!text)
    return dialogs::Id{0};
  dialogs::Id value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size() || value < 0) {
    problem = "\"after\" must be a whole number of 0 or more (the id of the last message seen).";
    return std::nullopt;
  }
  return value;
}

}  // namespace okr::bot::web

namespace okr::bot::web {

std::optional<std::chrono::seconds> parse_wait(std::string_view query, std::string& problem) {
  const auto text = query_parameter(query, "wait");
  if (!text)
    return std::chrono::seconds{0};
  long long value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size() || value < 0) {
    problem = "\"wait\" must be a whole number of seconds, 0 or more (at most " +
              std::to_string(kMaxWait.count()) + " are used).";
    return std::nullopt;
  }
  return std::min(std::chrono::seconds{value}, kMaxWait);
}

}  // namespace okr::bot::web
