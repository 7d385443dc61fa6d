#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/http/request.hpp"
#include "bot/http/router.hpp"
#include "bot/teams/inbound_auth.hpp"
#include "bot/teams/teams_route.hpp"

using nlohmann::json;
namespace http = okr::bot::http;
namespace teams = okr::bot::teams;

namespace {

// Accepts exactly "Bearer good" and remembers what it was asked about.
class OneTokenAuthenticator : public teams::InboundAuthenticator {
 public:
  teams::AuthCheck check(std::string_view authorization, std::string_view service_url,
                         std::string_view channel_id) override {
    seen_service_url = std::string(service_url);
    seen_channel = std::string(channel_id);
    return {authorization == "Bearer good" ? teams::AuthFailure::none
                                           : teams::AuthFailure::bad_signature};
  }
  std::string seen_service_url;
  std::string seen_channel;
};

json message(const std::string& id) {
  return {{"type", "message"},
          {"id", id},
          {"serviceUrl", "https://smba.example/amer/"},
          {"channelId", "msteams"},
          {"from", {{"id", "29:ana"}}},
          {"recipient", {{"id", "28:bot"}}},
          {"conversation", {{"id", "a:1"}}},
          {"channelData", {{"tenant", {{"id", "t1"}}}}},
          {"text", "hello"}};
}

http::HttpResponse post(http::Router& router, const json& body, const std::string& auth) {
  http::HttpRequest request;
  request.method = "POST";
  request.path = "/api/messages";
  request.body = body.dump();
  request.headers = {{"Authorization", auth}};
  return router.handle(request);
}

}  // namespace

TEST_CASE("/api/messages answers 503 teams_not_configured without an authenticator",
          "[teams][route]") {
  http::Router router;
  int accepted = 0;
  teams::add_teams_route(router, nullptr, [&](const teams::TeamsActivity&) {
    ++accepted;
    return true;
  });
  const auto response = post(router, message("1"), "Bearer good");
  CHECK(response.status == 503);
  CHECK(json::parse(response.body)["error"] == "teams_not_configured");
  CHECK(accepted == 0);
}

TEST_CASE("/api/messages checks the token against the activity's serviceUrl before reading it",
          "[teams][route]") {
  http::Router router;
  OneTokenAuthenticator auth;
  std::vector<std::string> outcomes;
  std::vector<teams::TeamsActivity> accepted;
  teams::add_teams_route(
      router, &auth,
      [&](const teams::TeamsActivity& activity) {
        accepted.push_back(activity);
        return accepted.size() == 1;  // the second delivery of the same id is a duplicate
      },
      [&](const std::string& outcome) { outcomes.push_back(outcome); });

  CHECK(post(router, message("1"), "Bearer forged").status == 401);
  CHECK(auth.seen_service_url == "https://smba.example/amer/");
  CHECK(auth.seen_channel == "msteams");
  CHECK(accepted.empty());

  CHECK(post(router, message("1"), "Bearer good").status == 200);
  CHECK(post(router, message("1"), "Bearer good").status == 200);
  REQUIRE(accepted.size() == 2);
  CHECK(accepted[0].message.text == "hello");

  auto broken = message("2");
  broken.erase("from");
  const auto malformed = post(router, broken, "Bearer good");
  CHECK(malformed.status == 400);
  CHECK(json::parse(malformed.body)["message"].get<std::string>().find("from.id") !=
        std::string::npos);

  auto typing = message("3");
  typing["type"] = "typing";
  CHECK(post(router, typing, "Bearer good").status == 200);
  CHECK(accepted.size() == 2);
  CHECK(outcomes == std::vector<std::string>{"unauthorized", "accepted", "duplicate", "malformed",
                                             "ignored"});
}
