#include <stdexcept>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/http/router.hpp"

using okr::bot::http::HttpRequest;
using okr::bot::http::HttpResponse;
using okr::bot::http::Router;

namespace {

HttpRequest request(std::string method, std::string path) {
  HttpRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

HttpResponse text(std::string body) {
  HttpResponse r;
  r.content_type = "text/plain";
  r.body = std::move(body);
  return r;
}

Router sample_router() {
  Router router;
  router.add("GET", "/healthz", [](const HttpRequest&) { return text("healthy"); });
  router.add("POST", "/slack/events", [](const HttpRequest& r) { return text("got " + r.body); });
  router.add("PUT", "/slack/events", [](const HttpRequest&) { return text("put"); });
  router.add("GET", "/objectives/{id}",
             [](const HttpRequest& r) { return text("objective " + r.path_params.at("id")); });
  router.add("GET", "/objectives/new", [](const HttpRequest&) { return text("form"); });
  return router;
}

}  // namespace

TEST_CASE("the router runs the handler registered for the method and path", "[router]") {
  auto router = sample_router();
  auto r = request("POST", "/slack/events");
  r.body = "payload";
  auto response = router.handle(r);
  CHECK(response.status == 200);
  CHECK(response.body == "got payload");
}

TEST_CASE("an unknown path is a JSON 404 not_found", "[router]") {
  auto router = sample_router();
  auto r = request("GET", "/nowhere");
  auto response = router.handle(r);
  CHECK(response.status == 404);
  CHECK(response.content_type == "application/json");
  auto body = nlohmann::json::parse(response.body);
  CHECK(body["error"] == "not_found");
  CHECK_FALSE(body["message"].get<std::string>().empty());
}

TEST_CASE("a known path with another method is a 405 whose Allow lists the methods", "[router]") {
  auto router = sample_router();
  auto r = request("DELETE", "/slack/events");
  auto response = router.handle(r);
  CHECK(response.status == 405);
  REQUIRE(response.headers.size() == 1);
  CHECK(response.headers[0].first == "Allow");
  CHECK(response.headers[0].second == "POST, PUT");
  CHECK(nlohmann::json::parse(response.body)["error"] == "method_not_allowed");
}

TEST_CASE("the route name is the pattern, or unmatched, never the raw path", "[router]") {
  auto router = sample_router();
  CHECK(router.match("GET", "/healthz").name() == "/healthz");
  CHECK(router.match("GET", "/objectives/42").name() == "/objectives/{id}");
  CHECK(router.match("GET", "/no/such/thing").name() == "unmatched");
  CHECK(router.match("POST", "/healthz").name() == "/healthz");  // a 405 still names its route
}

TEST_CASE("a {name} segment captures its value and literal routes win over it", "[router]") {
  auto router = sample_router();
  auto by_id = request("GET", "/objectives/o-17");
  CHECK(router.handle(by_id).body == "objective o-17");
  CHECK(by_id.path_params.at("id") == "o-17");
  auto form = request("GET", "/objectives/new");
  CHECK(router.handle(form).body == "form");
  auto empty = request("GET", "/objectives/");
  CHECK(router.handle(empty).status == 404);
}

TEST_CASE("paths match exactly: a trailing slash or a prefix is another path", "[router]") {
  auto router = sample_router();
  CHECK(router.match("GET", "/healthz/").route == nullptr);
  CHECK(router.match("GET", "/health").route == nullptr);
}

TEST_CASE("a handler that throws becomes a JSON 500 internal", "[router]") {
  Router router;
  router.add("GET", "/boom", [](const HttpRequest&) -> HttpResponse {
    throw std::runtime_error("database exploded");
  });
  auto r = request("GET", "/boom");
  auto response = router.handle(r);
  CHECK(response.status == 500);
  auto body = nlohmann::json::parse(response.body);
  CHECK(body["error"] == "internal");
  CHECK(body["message"].get<std::string>().find("exploded") == std::string::npos);
}

TEST_CASE("registering the same method and pattern twice is refused", "[router]") {
  Router router;
  router.add("GET", "/x", [](const HttpRequest&) { return HttpResponse{}; });
  CHECK_THROWS_AS(router.add("GET", "/x", [](const HttpRequest&) { return HttpResponse{}; }),
                  std::logic_error);
  CHECK_NOTHROW(router.add("POST", "/x", [](const HttpRequest&) { return HttpResponse{}; }));
}

TEST_CASE("a per-route body limit is reported by the match", "[router]") {
  Router router;
  router.add(
      "POST", "/upload", [](const HttpRequest&) { return HttpResponse{}; }, 42);
  router.add("POST", "/small", [](const HttpRequest&) { return HttpResponse{}; });
  CHECK(router.match("POST", "/upload").body_limit() == std::optional<std::size_t>(42));
  CHECK_FALSE(router.match("POST", "/small").body_limit().has_value());
}

TEST_CASE("header lookup ignores the case of the field name", "[router]") {
  HttpRequest r;
  r.headers = {{"X-Slack-Signature", "v0=abc"}, {"content-type", "application/json"}};
  CHECK(r.header("x-slack-signature") == std::optional<std::string_view>("v0=abc"));
  CHECK(r.header("Content-Type") == std::optional<std::string_view>("application/json"));
  CHECK_FALSE(r.header("Authorization").has_value());
}

TEST_CASE("json_error escapes the message so the body stays valid JSON", "[router]") {
  auto response = okr::bot::http::json_error(400, "bad_request", "a \"quoted\"\nline");
  CHECK(response.status == 400);
  auto body = nlohmann::json::parse(response.body);
  CHECK(body["error"] == "bad_request");
  CHECK(body["message"] == "a \"quoted\"\nline");
}

TEST_CASE("HEAD runs the GET route of the path, parameters and most literal route included",
          "[router][head]") {
  auto router = sample_router();
  auto health = request("HEAD", "/healthz");
  const auto answer = router.handle(health);
  CHECK(answer.status == 200);
  CHECK(answer.body == "healthy");  // the connection leaves it out; its length is the header's
  CHECK(router.match("HEAD", "/healthz").name() == "/healthz");
  auto by_id = request("HEAD", "/objectives/o-9");
  CHECK(router.handle(by_id).body == "objective o-9");
  CHECK(by_id.path_params.at("id") == "o-9");
  auto form = request("HEAD", "/objectives/new");
  CHECK(router.handle(form).body == "form");
}

TEST_CASE("HEAD on a path without GET is a 405, and Allow lists HEAD beside every GET",
          "[router][head]") {
  auto router = sample_router();
  auto events = request("HEAD", "/slack/events");
  auto refused = router.handle(events);
  CHECK(refused.status == 405);
  REQUIRE(refused.headers.size() == 1);
  CHECK(refused.headers[0].second == "POST, PUT");

  auto post = request("POST", "/healthz");
  auto wrong = router.handle(post);
  CHECK(wrong.status == 405);
  REQUIRE(wrong.headers.size() == 1);
  CHECK(wrong.headers[0].second == "GET, HEAD");
}

TEST_CASE("a route registered for HEAD itself answers HEAD instead of the GET route",
          "[router][head]") {
  auto router = sample_router();
  router.add("HEAD", "/healthz", [](const HttpRequest&) { return text("own head"); });
  auto head = request("HEAD", "/healthz");
  CHECK(router.handle(head).body == "own head");
  auto get = request("GET", "/healthz");
  CHECK(router.handle(get).body == "healthy");
}
