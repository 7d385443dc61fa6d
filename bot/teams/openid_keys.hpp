#pragma once
// The Bot Framework's signing keys (platforms.md §11 steps 2–3): the OpenID metadata document
// names a JWKS URL; its RSA keys, each with the channels that endorse it, are fetched through the
// injected HttpClient and cached.
//
// Refresh policy. The cache is filled on first use and refetched when it is a day old (the
// Bot Framework rotates keys rarely and announces them in the JWKS well ahead). A token naming a
// kid we do not have triggers a refetch, but at most one fetch attempt per minute, whatever its
// outcome: otherwise a stream of forged kids would turn us into an amplifier against the
// identity service. A failed refetch keeps the keys we had.
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/pipeline/clock.hpp"
#include "bot/teams/jwt_signature.hpp"

namespace okr::bot::http {
class HttpClient;
}

namespace okr::bot::teams {

struct SigningKey {
  std::string kid;
  RsaPublicKey key;
  std::vector<std::string> endorsements;  // channel ids, e.g. "msteams"

  bool endorses(std::string_view channel_id) const;
};

struct KeyLookup {
  enum class Outcome { found, unknown_kid, unavailable };
  Outcome outcome = Outcome::unavailable;
  std::optional<SigningKey> key;  // set when found
};

class OpenIdKeys {
 public:
  static constexpr std::chrono::minutes kMinRefetchInterval{1};
  static constexpr std::chrono::hours kMaxAge{24};

  OpenIdKeys(http::HttpClient& client, std::string metadata_url, pipeline::Clock clock);

  // The key called `kid`. unavailable: no keys at all (metadata or JWKS could not be fetched);
  // unknown_kid: we have keys, none is called that. Thread-safe; blocks on a fetch.
  KeyLookup find(std::string_view kid);

  // Successful and failed fetches of the metadata + JWKS pair (tests, metrics).
  std::size_t fetch_attempts() const;

 private:
  // Replaces the keys with freshly fetched ones; false (keys kept, error logged) on failure.
  bool refetch();

  http::HttpClient& client_;
  std::string metadata_url_;
  pipeline::Clock clock_;

  mutable std::mutex mutex_;
  std::map<std::string, SigningKey, std::less<>> keys_;
  std::optional<dialogs::TimePoint> fetched_at_;       // last successful fetch
  std::optional<dialogs::TimePoint> last_attempt_at_;  // last fetch, successful or not
  std::size_t attempts_ = 0;
};

}  // namespace okr::bot::teams
