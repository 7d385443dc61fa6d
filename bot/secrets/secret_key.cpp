#include "bot/secrets/secret_key.hpp"

#include <openssl/sha.h>

#include "bot/secrets/base64.hpp"

namespace okr::bot::secrets {

std::optional<SecretKey> parse_secret_key(std::string_view base64) {
  auto bytes = base64_decode(base64);
  if (!bytes || bytes->size() != 32)
    return std::nullopt;
  // Domain-separated so the fingerprint is not a plain hash of the key someone could look up.
  const std::string input = "okr-coach key id\n" + *bytes;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 4; ++i) {
    id += kDigits[digest[i] >> 4];
    id += kDigits[digest[i] & 0x0f];
  }
  return SecretKey{std::move(*bytes), std::move(id)};
}

}  // namespace okr::bot::secrets
