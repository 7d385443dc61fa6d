#include "bot/slack/signature.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>

#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>

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

constexpr std::size_t kSha256BlockSize = 64;
constexpr std::size_t kSha256Size = 32;

[[noreturn]] void hmac_failed(const char* what) {
  // The secret itself is never part of the message.
  throw std::runtime_error(std::string("HMAC-SHA256 for Slack signatures failed: ") + what +
                           " (OpenSSL)");
}

// A SHA-256 state that has absorbed the block-sized key XOR `pad`.
EVP_MD_CTX* keyed_state(EVP_MD* sha256, const unsigned char* key_block, unsigned char pad) {
  unsigned char block[kSha256BlockSize];
  for (std::size_t i = 0; i < kSha256BlockSize; ++i)
    block[i] = key_block[i] ^ pad;
  EVP_MD_CTX* state = EVP_MD_CTX_new();
  const bool ok = state != nullptr && EVP_DigestInit_ex(state, sha256, nullptr) == 1 &&
                  EVP_DigestUpdate(state, block, sizeof block) == 1;
  OPENSSL_cleanse(block, sizeof block);
  if (!ok) {
    EVP_MD_CTX_free(state);
    hmac_failed("cannot key SHA-256");
  }
  return state;
}

}  // namespace

// HMAC-SHA256 (RFC 2104) built on OpenSSL's SHA-256: the two keyed SHA-256 states, inner
// (key ^ ipad absorbed) and outer (key ^ opad absorbed), are made once. A signature copies each
// state into one scratch context, which costs a small allocation per copy. Copying a whole
// EVP_MAC context instead duplicated three digest contexts and the MAC's own parameters: a
// signature cost 17.0k instructions that way and 13.3k now (callgrind, bench/notes.md).
struct SigningKey::Keyed {
  EVP_MD* sha256 = nullptr;
  EVP_MD_CTX* inner = nullptr;
  EVP_MD_CTX* outer = nullptr;
  ~Keyed() {
    EVP_MD_CTX_free(inner);
    EVP_MD_CTX_free(outer);
    EVP_MD_free(sha256);
  }
};

SigningKey::SigningKey(std::string_view signing_secret)
    : keyed_(std::make_unique<Keyed>()), empty_(signing_secret.empty()) {
  keyed_->sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (keyed_->sha256 == nullptr)
    hmac_failed("SHA-256 is not available");
  // RFC 2104: a key longer than the hash's block is replaced by its hash; a shorter one is padded
  // with zeros. An empty key is still a key to HMAC (tests sign with one); only verify() refuses
  // it.
  unsigned char key_block[kSha256BlockSize] = {};
  if (signing_secret.size() > kSha256BlockSize) {
    unsigned int hashed_size = 0;
    if (EVP_Digest(signing_secret.data(), signing_secret.size(), key_block, &hashed_size,
                   keyed_->sha256, nullptr) != 1)
      hmac_failed("cannot hash a long key");
  } else if (!signing_secret.empty()) {
    std::memcpy(key_block, signing_secret.data(), signing_secret.size());
  }
  try {
    keyed_->inner = keyed_state(keyed_->sha256, key_block, 0x36);
    keyed_->outer = keyed_state(keyed_->sha256, key_block, 0x5c);
  } catch (...) {
    OPENSSL_cleanse(key_block, sizeof key_block);
    throw;
  }
  OPENSSL_cleanse(key_block, sizeof key_block);
}

SigningKey::~SigningKey() = default;
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;

std::string SigningKey::sign(std::string_view timestamp, std::string_view body) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  const auto feed = [&](std::string_view part) {
    return EVP_DigestUpdate(ctx.get(), part.data(), part.size()) == 1;
  };
  unsigned char inner_digest[kSha256Size];
  unsigned char digest[kSha256Size];
  unsigned int size = 0;
  // HMAC = H((key ^ opad) || H((key ^ ipad) || message)), message = "v0:<timestamp>:<body>".
  const bool ok = ctx && EVP_MD_CTX_copy_ex(ctx.get(), keyed_->inner) == 1 && feed("v0:") &&
                  feed(timestamp) && feed(":") && feed(body) &&
                  EVP_DigestFinal_ex(ctx.get(), inner_digest, &size) == 1 && size == kSha256Size &&
                  EVP_MD_CTX_copy_ex(ctx.get(), keyed_->outer) == 1 &&
                  EVP_DigestUpdate(ctx.get(), inner_digest, size) == 1 &&
                  EVP_DigestFinal_ex(ctx.get(), digest, &size) == 1 && size == kSha256Size;
  if (!ok)
    hmac_failed("cannot sign a request");
  return std::string(kVersionPrefix) + to_hex(digest, sizeof digest);
}

SignatureCheck SigningKey::verify(std::optional<std::string_view> timestamp,
                                  std::optional<std::string_view> signature, std::string_view body,
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
