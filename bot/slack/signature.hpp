#pragma once
// Slack's v0 request signature: HMAC-SHA256 over "v0:<timestamp>:<raw body>" keyed with the
// app's signing secret, sent as "v0=<64 lowercase hex>" in X-Slack-Signature. Checked on the raw
// bytes before anything is parsed, so a forged request never reaches a parser.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace okr::bot::slack {

enum class SignatureCheck {
  ok,
  missing_headers,  // no timestamp or no signature header
  malformed,        // timestamp not decimal seconds, or signature not "v0=" + 64 hex
  stale,            // timestamp more than five minutes from `now`, in the past or the future
  mismatch,         // well-formed but computed with another secret or over other bytes
};

// Slack's replay window, both directions.
inline constexpr std::chrono::seconds kSignatureWindow{300};

// The signing secret made ready once: HMAC's keyed inner and outer states are computed when the
// key is built, so each request costs only the hash of its own bytes (OpenSSL's one-shot HMAC
// looks the algorithm up and keys it again on every call, about half of a request's cost).
// Immutable after construction, so one key is shared by every network thread.
class SigningKey {
 public:
  explicit SigningKey(std::string_view signing_secret);
  ~SigningKey();
  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;

  // An empty secret never verifies (verify() answers mismatch).
  bool empty() const { return empty_; }
  // "v0=" + 64 lowercase hex over "v0:<timestamp>:<body>", without copying the body.
  std::string sign(std::string_view timestamp, std::string_view body) const;
  // The checks of verify_signature below, with this key.
  SignatureCheck verify(std::optional<std::string_view> timestamp,
                        std::optional<std::string_view> signature, std::string_view body,
                        std::chrono::system_clock::time_point now) const;

 private:
  struct Keyed;
  std::unique_ptr<Keyed> keyed_;
  bool empty_ = true;
};

// `timestamp` and `signature` are the X-Slack-Request-Timestamp and X-Slack-Signature header
// values (nullopt when absent). An empty `signing_secret` never verifies (mismatch).
SignatureCheck verify_signature(std::string_view signing_secret,
                                std::optional<std::string_view> timestamp,
                                std::optional<std::string_view> signature, std::string_view body,
                                std::chrono::system_clock::time_point now);

// "v0=" + hex HMAC for the given timestamp and body: what Slack would send. Tests and the fake
// Slack use it to sign requests.
std::string compute_signature(std::string_view signing_secret, std::string_view timestamp,
                              std::string_view body);

// A short name for logs and metrics labels ("ok", "stale", ...).
std::string_view to_string(SignatureCheck check);

}  // namespace okr::bot::slack
