#pragma once
// RS256 (RSASSA-PKCS1-v1_5 with SHA-256), the only algorithm the Bot Framework signs with and the
// only one we accept. The public key is built from a JWK's modulus and exponent with OpenSSL's
// EVP API; OpenSSL types stay in the .cpp.
#include <memory>
#include <optional>
#include <string_view>

namespace okr::bot::teams {

class RsaPublicKey {
 public:
  // From the JWK members `n` and `e` (base64url big-endian integers). nullopt when either does
  // not decode or OpenSSL refuses the key, or when the modulus is under 2048 bits (too weak to
  // trust, and no genuine Bot Framework key is that small).
  static std::optional<RsaPublicKey> from_jwk(std::string_view n, std::string_view e);

  // True when `signature` is this key's RS256 signature over `signing_input`.
  bool verify_rs256(std::string_view signing_input, std::string_view signature) const;

  int bits() const;

 private:
  struct Key;
  explicit RsaPublicKey(std::shared_ptr<const Key> key) : key_(std::move(key)) {}
  std::shared_ptr<const Key> key_;  // shared: the key cache hands out copies to many threads
};

}  // namespace okr::bot::teams
