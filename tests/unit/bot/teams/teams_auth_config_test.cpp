// The Teams settings: defaults from issue 6, the derived token endpoint, validation, redaction.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "bot/teams/bot_framework_auth.hpp"
#include "bot/teams/client_credentials.hpp"
#include "config/load.hpp"

using okr::config::Sources;

namespace {

okr::config::LoadResult load_env(std::map<std::string, std::string> environment) {
  Sources sources;
  sources.environment = std::move(environment);
  return okr::config::load(sources);
}

}  // namespace

TEST_CASE("Teams settings default to the Bot Framework's public endpoints", "[teams][config]") {
  const auto result = load_env({});
  REQUIRE(result.ok());
  const auto& c = result.config;
  CHECK(c.teams_app_id.empty());
  CHECK(c.teams_app_password.empty());
  CHECK(c.teams_tenant_id.empty());
  CHECK(c.teams_openid_url == "https://login.botframework.com/v1/.well-known/openidconfiguration");
  CHECK(okr::config::teams_token_endpoint(c) ==
        "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token");
}

TEST_CASE("a tenant id makes the token endpoint the tenant's unless TEAMS_TOKEN_URL is set",
          "[teams][config]") {
  auto result = load_env({{"TEAMS_TENANT_ID", "11111111-2222-3333-4444-555555555555"}});
  REQUIRE(result.ok());
  CHECK(okr::config::teams_token_endpoint(result.config) ==
        "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/oauth2/v2.0/token");
  result = load_env({{"TEAMS_TENANT_ID", "contoso.onmicrosoft.com"},
                     {"TEAMS_TOKEN_URL", "http://127.0.0.1:9/tenant/token"}});
  REQUIRE(result.ok());
  CHECK(okr::config::teams_token_endpoint(result.config) == "http://127.0.0.1:9/tenant/token");
}

TEST_CASE("the settings of the two Teams auth classes come from the config", "[teams][config]") {
  const auto result = load_env({{"TEAMS_APP_ID", "app-1"},
                                {"TEAMS_APP_PASSWORD", "pw-1"},
                                {"TEAMS_TENANT_ID", "tenant-1"},
                                {"TEAMS_OPENID_URL", "http://127.0.0.1:9/openid"}});
  REQUIRE(result.ok());
  const auto inbound = okr::bot::teams::BotFrameworkAuthSettings::from(result.config);
  CHECK(inbound.app_id == "app-1");
  CHECK(inbound.tenant_id == "tenant-1");
  CHECK(inbound.openid_url == "http://127.0.0.1:9/openid");  // no slash appended to an endpoint
  const auto outbound = okr::bot::teams::ClientCredentialsSettings::from(result.config);
  CHECK(outbound.app_id == "app-1");
  CHECK(outbound.app_password == "pw-1");
  CHECK(outbound.token_url == "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token");
}

TEST_CASE("Teams URLs must be http(s) and ids must not hold spaces", "[teams][config]") {
  CHECK_FALSE(load_env({{"TEAMS_OPENID_URL", "ftp://example.com/x"}}).ok());
  CHECK_FALSE(load_env({{"TEAMS_TOKEN_URL", "login.microsoftonline.com/x"}}).ok());
  CHECK_FALSE(load_env({{"TEAMS_APP_ID", "app 1"}}).ok());
  CHECK_FALSE(load_env({{"TEAMS_TENANT_ID", "t/../x"}}).ok());
  CHECK(load_env({{"TEAMS_TOKEN_URL", ""}}).ok());
}

TEST_CASE("check-config shows the Teams password as *** and never echoes it in a problem",
          "[teams][config]") {
  auto result = load_env({{"TEAMS_APP_ID", "app-1"}, {"TEAMS_APP_PASSWORD", "s3cr3t-value"}});
  REQUIRE(result.ok());
  const auto shown = nlohmann::json::parse(okr::config::to_redacted_json(result.config));
  CHECK(shown["teams"]["app_password"] == "***");
  CHECK(shown["teams"]["app_id"] == "app-1");
  CHECK(shown["teams"]["token_url"] == "");
  result = load_env({{"TEAMS_APP_PASSWORD", "s3cr3t value\n"}});
  REQUIRE_FALSE(result.ok());
  for (const auto& problem : result.problems) {
    CHECK(problem.message.find("s3cr3t") == std::string::npos);
  }
}
