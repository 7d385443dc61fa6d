#include "bot/teams/jwt.hpp"

#include <algorithm>
#include <cctype>

#include "bot/teams/base64url.hpp"

namespace okr::bot::teams {

namespace {

std::optional<nlohmann::json> decode_object(std::string_view part) {
  auto bytes = base64url_decode(part);
  if (!bytes) {
    return std::nullopt;
  }
  auto value = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) {
    return std::nullopt;  // also covers "discarded", nlohmann's answer to invalid JSON
  }
  return value;
}

std::string string_member(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string Jwt::algorithm() const {
  return string_member(header, "alg");
}

std::string Jwt::key_id() const {
  std::string kid = string_member(header, "kid");
  return kid.empty() ? string_member(header, "x5t") : kid;
}

std::optional<Jwt> parse_jwt(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) {
    return std::nullopt;
  }
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  auto header = decode_object(token.substr(0, first));
  auto claims = decode_object(token.substr(first + 1, second - first - 1));
  auto signature = base64url_decode(token.substr(second + 1));
  if (!header || !claims || !signature) {
    return std::nullopt;
  }
  Jwt jwt;
  jwt.header = std::move(*header);
  jwt.claims = std::move(*claims);
  jwt.signing_input = std::string(token.substr(0, second));
  jwt.signature = std::move(*signature);
  return jwt;
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) {
    return std::nullopt;
  }
  const bool scheme_matches =
      std::equal(kScheme.begin(), kScheme.end(), authorization.begin(),
                 [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
  if (!scheme_matches) {
    return std::nullopt;
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') {
    token.remove_prefix(1);
  }
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) {
    token.remove_suffix(1);
  }
  if (token.empty()) {
    return std::nullopt;
  }
  return token;
}

}  // namespace okr::bot::teams
