#pragma once
// Base64url without padding (RFC 4648 §5), the alphabet of JWT parts and JWK numbers. The one
// implementation in the tree: the token parser, the key loader and the test fakes all use it.
#include <optional>
#include <string>
#include <string_view>

namespace okr::bot::teams {

std::string base64url_encode(std::string_view bytes);

// The decoded bytes, or nullopt when `text` holds a character outside the alphabet, padding, or
// a length no encoder produces (one leftover character). Lenient decoders let two different
// strings decode to the same bytes; a token part must have exactly one spelling.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace okr::bot::teams
