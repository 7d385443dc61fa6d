#pragma once
// A compact JWS (header.payload.signature) taken apart, nothing verified yet. Parsing and
// checking are separate steps so that nothing in the claims is believed before the signature
// over `signing_input` has been checked (jwt_signature.hpp) with a key chosen by `kid`.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace okr::bot::teams {

struct Jwt {
  nlohmann::json header;      // an object
  nlohmann::json claims;      // an object
  std::string signing_input;  // "<header part>.<payload part>", exactly as received
  std::string signature;      // the decoded signature bytes

  std::string algorithm() const;  // header "alg", empty when absent or not a string
  // header "kid", else "x5t" (the Bot Framework sets both to the same value), else empty.
  std::string key_id() const;
};

// Three base64url parts, the first two JSON objects. nullopt when the token is anything else.
std::optional<Jwt> parse_jwt(std::string_view token);

// The token of an Authorization header value "Bearer <token>" (scheme case-insensitive), or
// nullopt when the header is empty or uses another scheme.
std::optional<std::string_view> bearer_token(std::string_view authorization);

}  // namespace okr::bot::teams
