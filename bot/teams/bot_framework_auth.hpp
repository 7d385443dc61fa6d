#pragma once
// The real InboundAuthenticator: platforms.md §11 in full. Order matters: nothing in a token is
// believed before its signature checks out with a key the identity service published, so the
// algorithm and key come first, the claims after.
#include <memory>
#include <string>

#include "bot/pipeline/clock.hpp"
#include "bot/teams/inbound_auth.hpp"
#include "bot/teams/openid_keys.hpp"

namespace okr::config {
struct Config;
}

namespace okr::bot::teams {

struct BotFrameworkAuthSettings {
  std::string app_id;      // TEAMS_APP_ID: the only audience accepted
  std::string tenant_id;   // TEAMS_TENANT_ID: empty = multi-tenant
  std::string openid_url;  // TEAMS_OPENID_URL

  static BotFrameworkAuthSettings from(const config::Config& config);
};

class BotFrameworkAuthenticator : public InboundAuthenticator {
 public:
  // `client` must outlive this object (the keys are fetched through it).
  BotFrameworkAuthenticator(http::HttpClient& client, BotFrameworkAuthSettings settings,
                            pipeline::Clock clock);

  // Logs each rejection at warn with its reason (and the token's iss, which is public), never
  // the token; keys_unavailable is logged at error by the key cache.
  AuthCheck check(std::string_view authorization, std::string_view service_url,
                  std::string_view channel_id) override;

  const OpenIdKeys& keys() const { return keys_; }

 private:
  AuthFailure evaluate(std::string_view authorization, std::string_view service_url,
                       std::string_view channel_id, std::string& issuer);

  BotFrameworkAuthSettings settings_;
  pipeline::Clock clock_;
  OpenIdKeys keys_;
};

}  // namespace okr::bot::teams
