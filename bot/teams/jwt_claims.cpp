#include "bot/teams/jwt_claims.hpp"

#include <algorithm>
#include <optional>

namespace okr::bot::teams {

namespace {

bool has_string(const nlohmann::json& claims, const char* key, std::string_view expected) {
  const auto it = claims.find(key);
  return it != claims.end() && it->is_string() && it->get_ref<const std::string&>() == expected;
}

bool audience_matches(const nlohmann::json& claims, std::string_view audience) {
  const auto it = claims.find("aud");
  if (it == claims.end() || audience.empty()) {
    return false;
  }
  if (it->is_string()) {
    return it->get_ref<const std::string&>() == audience;
  }
  if (it->is_array()) {
    return std::any_of(it->begin(), it->end(), [&](const nlohmann::json& entry) {
      return entry.is_string() && entry.get_ref<const std::string&>() == audience;
    });
  }
  return false;
}

// A NumericDate may be written with a fraction; whole seconds are all we compare.
std::optional<dialogs::TimePoint> numeric_date(const nlohmann::json& claims, const char* key) {
  const auto it = claims.find(key);
  if (it == claims.end() || !it->is_number()) {
    return std::nullopt;
  }
  return dialogs::TimePoint(std::chrono::seconds(static_cast<long long>(it->get<double>())));
}

}  // namespace

std::vector<std::string> accepted_issuers(std::string_view tenant_id) {
  std::vector<std::string> issuers{std::string(kBotFrameworkIssuer)};
  if (!tenant_id.empty()) {
    const std::string tenant(tenant_id);
    issuers.push_back("https://sts.windows.net/" + tenant + "/");
    issuers.push_back("https://login.microsoftonline.com/" + tenant + "/v2.0");
  }
  return issuers;
}

AuthFailure check_claims(const nlohmann::json& claims, const ClaimRules& rules,
                         dialogs::TimePoint now) {
  const bool issuer_ok =
      std::any_of(rules.issuers.begin(), rules.issuers.end(),
                  [&](const std::string& iss) { return has_string(claims, "iss", iss); });
  if (!issuer_ok) {
    return AuthFailure::wrong_issuer;
  }
  if (!audience_matches(claims, rules.audience)) {
    return AuthFailure::wrong_audience;
  }
  const auto expires = numeric_date(claims, "exp");
  if (!expires || *expires + kClockSkew < now) {
    return AuthFailure::expired;  // a token without exp would be valid forever: refuse it
  }
  if (const auto not_before = numeric_date(claims, "nbf");
      not_before && *not_before - kClockSkew > now) {
    return AuthFailure::not_yet_valid;
  }
  if (rules.service_url.empty() || !has_string(claims, "serviceUrl", rules.service_url)) {
    return AuthFailure::service_url_mismatch;
  }
  return AuthFailure::none;
}

}  // namespace okr::bot::teams
