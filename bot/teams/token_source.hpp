#pragma once
// Outbound calls to the Bot Connector carry `Authorization: Bearer <token>` from the
// client-credentials grant (platforms.md §12). A TokenSource hands out a valid token, fetching or
// refreshing it shortly before expiry; concurrent callers share one refresh.
#include <stdexcept>
#include <string>

namespace okr::bot::teams {

// The token endpoint refused or could not be reached. The message names the endpoint's host and
// the OAuth error code when there is one; never the password or a token.
class TokenError : public std::runtime_error {
 public:
  TokenError(const std::string& message, bool retryable)
      : std::runtime_error(message), retryable_(retryable) {}
  bool retryable() const noexcept { return retryable_; }  // 5xx/timeouts: yes; invalid_client: no

 private:
  bool retryable_;
};

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // A token valid for at least a minute more. Throws TokenError. Thread-safe.
  virtual std::string bearer() = 0;
  // The connector answered 401 with this token: drop it so the next bearer() fetches anew.
  virtual void invalidate(const std::string& token) = 0;
};

}  // namespace okr::bot::teams
