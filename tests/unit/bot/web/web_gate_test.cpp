#include <catch2/catch.hpp>

#include "bot/web/web_gate.hpp"
#include "config/config.hpp"

using okr::bot::http::HttpRequest;
using okr::bot::web::WebGate;

namespace {

HttpRequest with(std::vector<std::pair<std::string, std::string>> headers, std::string query = {}) {
  HttpRequest request;
  request.method = "GET";
  request.path = "/web/api/okrs";
  request.headers = std::move(headers);
  request.query = std::move(query);
  return request;
}

std::string header_of(const okr::bot::http::HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name)
      return value;
  }
  return {};
}

}  // namespace

TEST_CASE("loopback addresses are told from reachable ones", "[web][auth]") {
  using okr::bot::web::is_loopback_host;
  CHECK(is_loopback_host("127.0.0.1"));
  CHECK(is_loopback_host("127.1.2.3"));
  CHECK(is_loopback_host("::1"));
  CHECK(is_loopback_host("localhost"));
  CHECK_FALSE(is_loopback_host("0.0.0.0"));
  CHECK_FALSE(is_loopback_host("::"));
  CHECK_FALSE(is_loopback_host("10.0.0.5"));
  CHECK_FALSE(is_loopback_host("127.0.0.1.example.com"));
  CHECK_FALSE(is_loopback_host("127.evil"));
}

TEST_CASE("serve may not start on a reachable address without the web token", "[web][auth]") {
  okr::config::Config config;
  CHECK_FALSE(okr::bot::web::web_start_problem(config));  // 127.0.0.1 by default
  config.listen_host = "0.0.0.0";
  const auto problem = okr::bot::web::web_start_problem(config);
  REQUIRE(problem);
  CHECK(problem->find("OKR_COACH_WEB_TOKEN") != std::string::npos);
  config.web_token = "long-random-value";
  CHECK_FALSE(okr::bot::web::web_start_problem(config));
}

TEST_CASE("a gate on a reachable address cannot be built without a token", "[web][auth]") {
  CHECK_THROWS_AS(WebGate(false, ""), std::invalid_argument);
}

TEST_CASE("on loopback only requests for the loopback host pass", "[web][auth]") {
  const WebGate gate(true, "");
  CHECK_FALSE(gate.refuse(with({{"Host", "127.0.0.1:8080"}})));
  CHECK_FALSE(gate.refuse(with({{"Host", "localhost:8080"}})));
  CHECK_FALSE(gate.refuse(with({{"host", "[::1]:8080"}})));
  const auto foreign = gate.refuse(with({{"Host", "attacker.example:8080"}}));
  REQUIRE(foreign);
  CHECK(foreign->status == 403);
  REQUIRE(gate.refuse(with({})));
}

TEST_CASE("with a token, only the token or the session cookie opens the API", "[web][auth]") {
  const std::string token = "s3cret-token-value";
  WebGate gate(false, token);
  CHECK(gate.refuse(with({}))->status == 401);
  CHECK(gate.refuse(with({{"Authorization", "Bearer wrong"}}))->status == 401);
  CHECK(gate.refuse(with({{"Authorization", "Bearer " + token + "x"}}))->status == 401);
  CHECK(gate.refuse(with({{"Authorization", "Basic " + token}}))->status == 401);
  CHECK_FALSE(gate.refuse(with({{"Authorization", "Bearer " + token}})));
  CHECK_FALSE(gate.refuse(with({{"authorization", "bearer " + token}})));
  // The token itself is not a session cookie.
  CHECK(gate.refuse(with({{"Cookie", "okr_web_session=" + token}}))->status == 401);
  const auto refused = gate.refuse(with({}));
  CHECK(refused->body.find(token) == std::string::npos);
}

TEST_CASE("a login link works once and sets a cookie that is not the token", "[web][auth]") {
  const std::string token = "another-secret-token";
  WebGate gate(false, token);
  const auto code = gate.issue_login_code();
  REQUIRE(code.size() >= 32);

  CHECK(gate.redeem(with({}, "code=" + code + "0")).status == 401);
  const auto login = gate.redeem(with({}, "code=" + code));
  REQUIRE(login.status == 303);
  CHECK(header_of(login, "Location") == "/");
  const auto cookie = header_of(login, "Set-Cookie");
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  CHECK(cookie.find("SameSite=Strict") != std::string::npos);
  CHECK(cookie.find(token) == std::string::npos);
  const auto pair = cookie.substr(0, cookie.find(';'));
  CHECK_FALSE(gate.refuse(with({{"Cookie", "theme=dark; " + pair}})));
  CHECK(gate.redeem(with({}, "code=" + code)).status == 401);  // used up

  // The same token after a restart accepts the same cookie; another token does not.
  WebGate restarted(false, token);
  CHECK_FALSE(restarted.refuse(with({{"Cookie", pair}})));
  WebGate rotated(false, "a-new-token");
  CHECK(rotated.refuse(with({{"Cookie", pair}}))->status == 401);
}

TEST_CASE("login links do nothing on loopback", "[web][auth]") {
  WebGate gate(true, "");
  CHECK(gate.redeem(with({}, "code=")).status == 401);
}
