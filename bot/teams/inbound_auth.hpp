#pragma once
// Who may post to /api/messages: the Bot Connector proves it with a JWT in
// `Authorization: Bearer …` (platforms.md §11). The route asks an InboundAuthenticator before it
// parses anything else; the real one fetches the OpenID metadata and JWKS through the injected
// HTTP client and caches the keys, tests point it at a fake over loopback.
#include <string>
#include <string_view>

namespace okr::bot::teams {

enum class AuthFailure {
  none,
  missing,          // no Authorization header, or not "Bearer <token>"
  malformed,        // not three base64url parts of JSON
  bad_algorithm,    // alg is not RS256 (none, HS256, ...)
  unknown_key,      // kid not in the JWKS, even after one refresh
  bad_signature,
  wrong_issuer,
  wrong_audience,   // aud is not TEAMS_APP_ID
  expired,          // exp + 5 min skew is past
  not_yet_valid,    // nbf - 5 min skew is in the future
  service_url_mismatch,  // serviceUrl claim differs from the activity's serviceUrl
  channel_not_endorsed,  // the key's endorsements lack the activity's channelId
  keys_unavailable,      // metadata or JWKS could not be fetched (answered 401 too, logged at error)
};

std::string_view to_string(AuthFailure failure);

struct AuthCheck {
  AuthFailure failure = AuthFailure::none;
  bool ok() const { return failure == AuthFailure::none; }
};

class InboundAuthenticator {
 public:
  virtual ~InboundAuthenticator() = default;
  // `authorization` is the raw header value (empty when absent); `service_url` and
  // `channel_id` come from the activity body. Thread-safe; may block on a key fetch.
  virtual AuthCheck check(std::string_view authorization, std::string_view service_url,
                          std::string_view channel_id) = 0;
};

}  // namespace okr::bot::teams
