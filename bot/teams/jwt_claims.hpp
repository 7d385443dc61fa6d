#pragma once
// The claim checks of platforms.md §11 (steps 4–6 and 8) on a token whose signature has already
// been verified: pure, so each rule is tested without keys or sockets.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/teams/inbound_auth.hpp"
#include "dialogs/domain.hpp"

namespace okr::bot::teams {

// The Bot Framework's clocks and ours may disagree by this much (platforms.md §11 step 6).
inline constexpr std::chrono::seconds kClockSkew{5 * 60};

inline constexpr std::string_view kBotFrameworkIssuer = "https://api.botframework.com";

struct ClaimRules {
  std::vector<std::string> issuers;  // any one of them
  std::string audience;              // TEAMS_APP_ID
  std::string service_url;           // the activity's serviceUrl
};

// The issuers a bot accepts: the Bot Framework's, plus its own tenant's v1 and v2 issuers when
// `tenant_id` is set (single-tenant registrations).
std::vector<std::string> accepted_issuers(std::string_view tenant_id);

// AuthFailure::none when every rule holds. `aud` may be a string or an array of strings; `exp`
// is required, `nbf` optional, both NumericDate (seconds since the epoch).
AuthFailure check_claims(const nlohmann::json& claims, const ClaimRules& rules,
                         dialogs::TimePoint now);

}  // namespace okr::bot::teams
