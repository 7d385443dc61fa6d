#include "bot/slack/oauth_state.hpp"

#include <algorithm>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace okr::bot::slack {
namespace {

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0x0f];
  }
  return out;
}

std::string random_bytes(int count) {
  std::string out(static_cast<std::size_t>(count), '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), count) != 1)
    throw std::runtime_error("OAuth install: no random bytes available");
  return out;
}

}  // namespace

std::string_view to_string(StateCheck check) {
  switch (check) {
    case StateCheck::ok:
      return "ok";
    case StateCheck::no_cookie:
      return "no_cookie";
    case StateCheck::wrong_cookie:
      return "wrong_cookie";
    case StateCheck::unknown:
      return "unknown";
    case StateCheck::expired:
      return "expired";
  }
  return "unknown";
}

InstallStates::InstallStates(pipeline::Clock clock)
    : clock_(std::move(clock)), key_(random_bytes(32)) {}

std::string InstallStates::signature(std::string_view state) const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(state.data()), state.size(), digest, &length);
  return hex(digest, length);
}

InstallStates::Issued InstallStates::issue() {
  const auto raw = random_bytes(24);
  std::string state = hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  std::string cookie = state + "." + signature(state);
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  std::erase_if(pending_, [&](const auto& entry) { return entry.second <= now; });
  while (pending_.size() >= kMaxPending) {
    // The one expiring first is the oldest: all share one lifetime.
    pending_.erase(std::min_element(pending_.begin(), pending_.end(), [](const auto& a,
                                                                         const auto& b) {
      return a.second < b.second;
    }));
  }
  pending_.emplace(state, now + kLifetime);
  return {std::move(state), std::move(cookie)};
}

StateCheck InstallStates::consume(std::string_view state, std::optional<std::string_view> cookie) {
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  const auto it = pending_.find(state);
  if (it == pending_.end())
    return StateCheck::unknown;
  const auto expires = it->second;
  pending_.erase(it);
  if (now >= expires)
    return StateCheck::expired;
  if (!cookie || cookie->empty())
    return StateCheck::no_cookie;
  const std::string expected = std::string(state) + "." + signature(state);
  if (cookie->size() != expected.size() ||
      CRYPTO_memcmp(cookie->data(), expected.data(), expected.size()) != 0)
    return StateCheck::wrong_cookie;
  return StateCheck::ok;
}

}  // namespace okr::bot::slack
