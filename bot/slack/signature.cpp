#include "bot/slack/signature.hpp"

#include <charconv>
#include <cstdint>
#include <string>

#include <stdexcept>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace okr::bot::slack {
namespace {

constexpr std::string_view kVersionPrefix = "v0=";
constexpr std::size_t kHexDigestLength = 64;

std::string to_hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    hex.push_back(kDigits[bytes[i] >> 4]);
    hex.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return hex;
}

bool is_lower_hex(std::string_view text) {
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

// Unix seconds as Slack sends them: plain decimal digits, nothing else (no sign, no spaces).
std::optional<std::int64_t> parse_seconds(std::string_view text) {
  if (text.empty() || text.size() > 18) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || text.front() == '-') {
    return std::nullopt;
  }
  return value;
}

}  // namespace

// A keyed HMAC-SHA256 context; each signature starts from a copy of it.
struct SigningKey::Keyed {
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* keyed = nullptr;
  ~Keyed() {
    EVP_MAC_CTX_free(keyed);
    EVP_MAC_free(mac);
  }
};

SigningKey::SigningKey(std::string_view signing_secret)
    : keyed_(std::make_unique<Keyed>()), empty_(signing_secret.empty()) {
  // An empty key is still a key to HMAC (tests sign with one); only verify() refuses it.
  static const unsigned char kNoKey = 0;
  const auto* key = signing_secret.empty()
                        ? &kNoKey
                        : reinterpret_cast<const unsigned char*>(signing_secret.data());
  keyed_->mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (keyed_->mac != nullptr)
    keyed_->keyed = EVP_MAC_CTX_new(keyed_->mac);
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0), OSSL_PARAM_END};
  if (keyed_->keyed == nullptr ||
      EVP_MAC_init(keyed_->keyed, key, signing_secret.size(), params) != 1) {
    // The secret itself is never part of the message.
    throw std::runtime_error("cannot prepare HMAC-SHA256 for the Slack signing secret (OpenSSL)");
  }
}

SigningKey::~SigningKey() = default;
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;

std::string SigningKey::sign(std::string_view timestamp, std::string_view body) const {
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_dup(keyed_->keyed),
                                                                &EVP_MAC_CTX_free);
  const auto feed = [&](std::string_view part) {
    return EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(part.data()),
                          part.size()) == 1;
  };
  unsigned char digest[EVP_MAX_MD_SIZE];
  std::size_t digest_size = 0;
  if (!ctx || !feed("v0:") || !feed(timestamp) || !feed(":") || !feed(body) ||
      EVP_MAC_final(ctx.get(), digest, &digest_size, sizeof digest) != 1) {
    throw std::runtime_error("HMAC-SHA256 of a Slack request failed (OpenSSL)");
  }
  return std::string(kVersionPrefix) + to_hex(digest, digest_size);
}

SignatureCheck SigningKey::verify(std::optional<std::string_view> timestamp,
                                  std::optional<std::string_view> signature,
                                  std::string_view body,
                                  std::chrono::system_clock::time_point now) const {
  if (!timestamp || !signature || timestamp->empty() || signature->empty()) {
    return SignatureCheck::missing_headers;
  }
  const auto seconds = parse_seconds(*timestamp);
  if (!seconds || !signature->starts_with(kVersionPrefix) ||
      signature->size() != kVersionPrefix.size() + kHexDigestLength ||
      !is_lower_hex(signature->substr(kVersionPrefix.size()))) {
    return SignatureCheck::malformed;
  }
  const auto sent = std::chrono::sys_seconds{std::chrono::seconds{*seconds}};
  const auto skew = std::chrono::abs(std::chrono::duration_cast<std::chrono::seconds>(now - sent));
  if (skew > kSignatureWindow) {
    return SignatureCheck::stale;
  }
  if (empty_) {
    return SignatureCheck::mismatch;
  }
  const std::string expected = sign(*timestamp, body);
  // Same length is guaranteed by the format check above; CRYPTO_memcmp takes the same time
  // wherever the first differing byte is, so the signature cannot be guessed byte by byte.
  if (expected.size() != signature->size() ||
      CRYPTO_memcmp(expected.data(), signature->data(), expected.size()) != 0) {
    return SignatureCheck::mismatch;
  }
  return SignatureCheck::ok;
}

std::string compute_signature(std::string_view signing_secret, std::string_view timestamp,
                              std::string_view body) {
  return SigningKey(signing_secret).sign(timestamp, body);
}

SignatureCheck verify_signature(std::string_view signing_secret,
                                std::optional<std::string_view> timestamp,
                                std::optional<std::string_view> signature, std::string_view body,
                                std::chrono::system_clock::time_point now) {
  return SigningKey(signing_secret).verify(timestamp, signature, body, now);
}

std::string_view to_string(SignatureCheck check) {
  switch (check) {
    case SignatureCheck::ok:
      return "ok";
    case SignatureCheck::missing_headers:
      return "missing_headers";
    case SignatureCheck::malformed:
      return "malformed";
    case SignatureCheck::stale:
      return "stale";
    case SignatureCheck::mismatch:
      return "mismatch";
  }
  return "unknown";
}

}  // namespace okr::bot::slack
