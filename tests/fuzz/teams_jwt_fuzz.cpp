// Authorization headers reach the JWT reader before anything is verified: any header value is
// taken apart or refused, and what is taken apart is consistent with the token.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bot/teams/jwt.hpp"
#include "fuzz_check.hpp"

using namespace okr::bot::teams;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  const auto token = bearer_token(header);
  const std::string_view candidate = token ? *token : header;
  if (token) {
    OKR_FUZZ_CHECK(!token->empty());
  }
  if (const auto jwt = parse_jwt(candidate)) {
    OKR_FUZZ_CHECK(jwt->header.is_object());
    OKR_FUZZ_CHECK(jwt->claims.is_object());
    // The signature is checked over exactly the first two parts as received.
    OKR_FUZZ_CHECK(candidate.substr(0, jwt->signing_input.size()) == jwt->signing_input);
    (void)jwt->algorithm();
    (void)jwt->key_id();
  }
  return 0;
}
