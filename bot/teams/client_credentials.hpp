#pragma once
// The real TokenSource: the OAuth client-credentials grant of platforms.md §12 against
// TEAMS_TOKEN_URL (see config::teams_token_endpoint for the default).
//
// A token is reused until 5 minutes before it expires. When it must be fetched, the first caller
// fetches and every concurrent caller waits for that one answer (token or error) instead of
// sending its own request: after a restart or an expiry, a burst of outbound messages costs one
// token request.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

#include "bot/pipeline/clock.hpp"
#include "bot/teams/token_source.hpp"

namespace okr::config {
struct Config;
}
namespace okr::bot::http {
class HttpClient;
}

namespace okr::bot::teams {

inline constexpr std::string_view kBotFrameworkScope = "https://api.botframework.com/.default";

struct ClientCredentialsSettings {
  std::string token_url;     // config::teams_token_endpoint(config)
  std::string app_id;        // TEAMS_APP_ID
  std::string app_password;  // TEAMS_APP_PASSWORD (secret: only ever in the request body)

  static ClientCredentialsSettings from(const config::Config& config);
};

class ClientCredentialsTokenSource : public TokenSource {
 public:
  static constexpr std::chrono::minutes kRefreshMargin{5};

  // `client` must outlive this object.
  ClientCredentialsTokenSource(http::HttpClient& client, ClientCredentialsSettings settings,
                               pipeline::Clock clock);

  std::string bearer() override;
  void invalidate(const std::string& token) override;

  // Token requests sent so far (tests, metrics).
  std::size_t fetches() const;

 private:
  struct Fetched {
    std::string token;
    dialogs::TimePoint refresh_at;
  };
  Fetched fetch();  // one request; throws TokenError

  http::HttpClient& client_;
  ClientCredentialsSettings settings_;
  pipeline::Clock clock_;

  mutable std::mutex mutex_;
  std::condition_variable fetched_;
  std::optional<Fetched> current_;
  bool fetching_ = false;
  std::size_t generation_ = 0;            // bumped when a fetch ends, successful or not
  std::optional<TokenError> last_error_;  // of the fetch that ended last, for its waiters
  std::size_t fetches_ = 0;
};

}  // namespace okr::bot::teams
