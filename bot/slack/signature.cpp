#include "bot/slack/signature.hpp"

#include <charconv>
#include <cstdint>
#include <string>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

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

std::string compute_signature(std::string_view signing_secret, std::string_view timestamp,
                              std::string_view body) {
  std::string base;
  base.reserve(3 + timestamp.size() + 1 + body.size());
  base.append("v0:").append(timestamp).append(":").append(body);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  HMAC(EVP_sha256(), signing_secret.data(), static_cast<int>(signing_secret.size()),
       reinterpret_cast<const unsigned char*>(base.data()), base.size(), digest, &digest_size);
  return std::string(kVersionPrefix) + to_hex(digest, digest_size);
}

SignatureCheck verify_signature(std::string_view signing_secret,
                                std::optional<std::string_view> timestamp,
                                std::optional<std::string_view> signature, std::string_view body,
                                std::chrono::system_clock::time_point now) {
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
  if (signing_secret.empty()) {
    return SignatureCheck::mismatch;
  }
  const std::string expected = compute_signature(signing_secret, *timestamp, body);
  // Same length is guaranteed by the format check above; CRYPTO_memcmp takes the same time
  // wherever the first differing byte is, so the signature cannot be guessed byte by byte.
  if (expected.size() != signature->size() ||
      CRYPTO_memcmp(expected.data(), signature->data(), expected.size()) != 0) {
    return SignatureCheck::mismatch;
  }
  return SignatureCheck::ok;
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
