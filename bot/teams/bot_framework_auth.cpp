#include "bot/teams/bot_framework_auth.hpp"

#include <spdlog/spdlog.h>

#include "bot/teams/jwt.hpp"
#include "bot/teams/jwt_claims.hpp"
#include "config/config.hpp"

namespace okr::bot::teams {

std::string_view to_string(AuthFailure failure) {
  switch (failure) {
    case AuthFailure::none:
      return "none";
    case AuthFailure::missing:
      return "missing";
    case AuthFailure::malformed:
      return "malformed";
    case AuthFailure::bad_algorithm:
      return "bad_algorithm";
    case AuthFailure::unknown_key:
      return "unknown_key";
    case AuthFailure::bad_signature:
      return "bad_signature";
    case AuthFailure::wrong_issuer:
      return "wrong_issuer";
    case AuthFailure::wrong_audience:
      return "wrong_audience";
    case AuthFailure::expired:
      return "expired";
    case AuthFailure::not_yet_valid:
      return "not_yet_valid";
    case AuthFailure::service_url_mismatch:
      return "service_url_mismatch";
    case AuthFailure::channel_not_endorsed:
      return "channel_not_endorsed";
    case AuthFailure::keys_unavailable:
      return "keys_unavailable";
  }
  return "unknown";
}

BotFrameworkAuthSettings BotFrameworkAuthSettings::from(const config::Config& config) {
  return {config.teams_app_id, config.teams_tenant_id, config.teams_openid_url};
}

BotFrameworkAuthenticator::BotFrameworkAuthenticator(http::HttpClient& client,
                                                     BotFrameworkAuthSettings settings,
                                                     pipeline::Clock clock)
    : settings_(std::move(settings)),
      clock_(clock),
      keys_(client, settings_.openid_url, std::move(clock)) {}

AuthCheck BotFrameworkAuthenticator::check(std::string_view authorization,
                                           std::string_view service_url,
                                           std::string_view channel_id) {
  std::string issuer;
  const AuthFailure failure = evaluate(authorization, service_url, channel_id, issuer);
  if (failure != AuthFailure::none && failure != AuthFailure::keys_unavailable) {
    spdlog::warn("teams auth: rejected ({}){}", to_string(failure),
                 issuer.empty() ? std::string() : ", iss " + issuer);
  }
  return {failure};
}

AuthFailure BotFrameworkAuthenticator::evaluate(std::string_view authorization,
                                                std::string_view service_url,
                                                std::string_view channel_id, std::string& issuer) {
  const auto token = bearer_token(authorization);
  if (!token) {
    return AuthFailure::missing;
  }
  const auto jwt = parse_jwt(*token);
  if (!jwt || jwt->key_id().empty()) {
    return AuthFailure::malformed;
  }
  // Only RS256: "none" and HS256 (which would let anyone holding the public key sign) never
  // reach the key lookup, let alone a verifier.
  if (jwt->algorithm() != "RS256") {
    return AuthFailure::bad_algorithm;
  }
  const auto lookup = keys_.find(jwt->key_id());
  if (lookup.outcome == KeyLookup::Outcome::unavailable) {
    return AuthFailure::keys_unavailable;
  }
  if (lookup.outcome == KeyLookup::Outcome::unknown_kid) {
    return AuthFailure::unknown_key;
  }
  if (!lookup.key->key.verify_rs256(jwt->signing_input, jwt->signature)) {
    return AuthFailure::bad_signature;
  }
  if (const auto iss = jwt->claims.find("iss"); iss != jwt->claims.end() && iss->is_string()) {
    issuer = iss->get<std::string>();  // logged on rejection: single-tenant issuers are UNCONFIRMED
  }
  if (!lookup.key->endorses(channel_id)) {
    return AuthFailure::channel_not_endorsed;
  }
  const ClaimRules rules{accepted_issuers(settings_.tenant_id), settings_.app_id,
                         std::string(service_url)};
  return check_claims(jwt->claims, rules, clock_());
}

}  // namespace okr::bot::teams
