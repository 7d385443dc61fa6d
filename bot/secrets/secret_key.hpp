#pragma once
// The key that seals tokens at rest (OKR_COACH_SECRET_KEY: base64 of 32 random bytes). Its id is
// a short fingerprint written next to every sealed value, so rotate-key and error messages can
// tell which key a value needs without ever showing the key.
#include <optional>
#include <string>
#include <string_view>

namespace okr::bot::secrets {

struct SecretKey {
  std::string bytes;  // exactly 32
  std::string id;     // first 8 hex digits of SHA-256 over "okr-coach key id" and the bytes

  // Only the id: a key must never reach a log line by accident.
  std::string describe() const { return "key " + id; }
};

inline constexpr std::string_view kHowToMakeAKey =
    "generate one with `openssl rand -base64 32`, set it as OKR_COACH_SECRET_KEY and keep a copy "
    "with your backups: tokens stored under it cannot be read without it";

// nullopt unless `base64` decodes to exactly 32 bytes.
std::optional<SecretKey> parse_secret_key(std::string_view base64);

}  // namespace okr::bot::secrets
