#include "bot/http/request.hpp"

#include <nlohmann/json.hpp>

namespace okr::bot::http {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

std::optional<std::string_view> HttpRequest::header(std::string_view name) const {
  for (const auto& [field, value] : headers) {
    if (iequals(field, name)) {
      return std::string_view{value};
    }
  }
  return std::nullopt;
}

HttpResponse json_response(int status, std::string text) {
  HttpResponse response;
  response.status = status;
  response.content_type = "application/json";
  response.body = std::move(text);
  return response;
}

HttpResponse json_error(int status, std::string_view code, std::string_view message) {
  // nlohmann escapes the message, so a sentence with quotes cannot break the JSON.
  nlohmann::json body = {{"error", code}, {"message", message}};
  // Replace rather than throw on invalid UTF-8: an error answer must never fail itself.
  return json_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace okr::bot::http
