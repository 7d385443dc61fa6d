#pragma once
// Slack's v0 request signature: HMAC-SHA256 over "v0:<timestamp>:<raw body>" keyed with the
// app's signing secret, sent as "v0=<64 lowercase hex>" in X-Slack-Signature. Checked on the raw
// bytes before anything is parsed, so a forged request never reaches a parser.
#include <chrono>
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
