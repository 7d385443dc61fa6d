// The claim rules of platforms.md §11 on their own: issuer, audience, time window, serviceUrl.
#include <catch2/catch.hpp>

#include "bot/teams/jwt_claims.hpp"

using namespace okr::bot::teams;
using nlohmann::json;

namespace {

constexpr std::int64_t kNow = 1'790'000'000;
const okr::dialogs::TimePoint now{std::chrono::seconds(kNow)};
const std::string kApp = "app-id-1";
const std::string kService = "https://smba.trafficmanager.net/amer/";

json valid_claims() {
  return {{"iss", "https://api.botframework.com"},
          {"aud", kApp},
          {"serviceUrl", kService},
          {"nbf", kNow - 60},
          {"exp", kNow + 3600}};
}

ClaimRules rules(std::string tenant = "") {
  return {accepted_issuers(tenant), kApp, kService};
}

}  // namespace

TEST_CASE("claims of a genuine Bot Connector token pass", "[teams][claims]") {
  CHECK(check_claims(valid_claims(), rules(), now) == AuthFailure::none);
}

TEST_CASE("another issuer, or a missing one, is wrong_issuer", "[teams][claims]") {
  auto claims = valid_claims();
  claims["iss"] = "https://evil.example.com";
  CHECK(check_claims(claims, rules(), now) == AuthFailure::wrong_issuer);
  claims["iss"] = "https://api.botframework.com/";
  CHECK(check_claims(claims, rules(), now) == AuthFailure::wrong_issuer);
  claims.erase("iss");
  CHECK(check_claims(claims, rules(), now) == AuthFailure::wrong_issuer);
}

TEST_CASE("tenant issuers are accepted only when a tenant is configured", "[teams][claims]") {
  const std::string tenant = "11111111-2222-3333-4444-555555555555";
  CHECK(accepted_issuers("") == std::vector<std::string>{"https://api.botframework.com"});
  auto claims = valid_claims();
  for (const std::string& iss : {"https://sts.windows.net/" + tenant + "/",
                                 "https://login.microsoftonline.com/" + tenant + "/v2.0"}) {
    claims["iss"] = iss;
    CHECK(check_claims(claims, rules(tenant), now) == AuthFailure::none);
    CHECK(check_claims(claims, rules(), now) == AuthFailure::wrong_issuer);
    CHECK(check_claims(claims, rules("99999999-2222-3333-4444-555555555555"), now) ==
          AuthFailure::wrong_issuer);
  }
}

TEST_CASE("an audience other than the app id is wrong_audience; an array may hold it",
          "[teams][claims]") {
  auto claims = valid_claims();
  claims["aud"] = "another-app";
  CHECK(check_claims(claims, rules(), now) == AuthFailure::wrong_audience);
  claims["aud"] = json::array({"another-app", kApp});
  CHECK(check_claims(claims, rules(), now) == AuthFailure::none);
  claims.erase("aud");
  CHECK(check_claims(claims, rules(), now) == AuthFailure::wrong_audience);
  CHECK(check_claims(valid_claims(), ClaimRules{accepted_issuers(""), "", kService}, now) ==
        AuthFailure::wrong_audience);
}

TEST_CASE("exp is honoured with five minutes of skew and is required", "[teams][claims]") {
  auto claims = valid_claims();
  claims["exp"] = kNow - 299;
  CHECK(check_claims(claims, rules(), now) == AuthFailure::none);
  claims["exp"] = kNow - 301;
  CHECK(check_claims(claims, rules(), now) == AuthFailure::expired);
  claims["exp"] = "tomorrow";
  CHECK(check_claims(claims, rules(), now) == AuthFailure::expired);
  claims.erase("exp");
  CHECK(check_claims(claims, rules(), now) == AuthFailure::expired);
}

TEST_CASE("nbf is honoured with five minutes of skew", "[teams][claims]") {
  auto claims = valid_claims();
  claims["nbf"] = kNow + 299;
  CHECK(check_claims(claims, rules(), now) == AuthFailure::none);
  claims["nbf"] = kNow + 301;
  CHECK(check_claims(claims, rules(), now) == AuthFailure::not_yet_valid);
}

TEST_CASE("a serviceUrl claim unlike the activity's is service_url_mismatch", "[teams][claims]") {
  auto claims = valid_claims();
  claims["serviceUrl"] = "https://evil.example.com/";
  CHECK(check_claims(claims, rules(), now) == AuthFailure::service_url_mismatch);
  claims.erase("serviceUrl");
  CHECK(check_claims(claims, rules(), now) == AuthFailure::service_url_mismatch);
  CHECK(check_claims(valid_claims(), ClaimRules{accepted_issuers(""), kApp, ""}, now) ==
        AuthFailure::service_url_mismatch);
}
