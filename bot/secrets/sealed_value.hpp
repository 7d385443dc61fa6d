#pragma once
// Tokens at rest: AES-256-GCM with a fresh random 96-bit nonce per value. The stored text is
//   okr1:<key id>:<base64(nonce ‖ ciphertext ‖ 16-byte tag)>
// The key id says which OKR_COACH_SECRET_KEY sealed it (rotate-key re-seals under a new one);
// `context` (e.g. "slack bot token T123") is authenticated but not stored, so a sealed value
// copied into another row or column does not open there.
#include <optional>
#include <string>
#include <string_view>

#include "bot/secrets/secret_key.hpp"

namespace okr::bot::secrets {

std::string seal(const SecretKey& key, std::string_view context, std::string_view plaintext);

// nullopt when the value is not ours, was sealed under another key, or was tampered with.
std::optional<std::string> unseal(const SecretKey& key, std::string_view context,
                                  std::string_view sealed);

// The key id a sealed value names; nullopt when `sealed` is not in the form above.
std::optional<std::string> sealed_key_id(std::string_view sealed);

}  // namespace okr::bot::secrets
