// HEAD over a real loopback socket (RFC 9110 9.3.2): the GET answer's status and header fields,
// Content-Length included, and no body. Each test reuses its connection after the HEAD: a body
// sent by mistake would sit in front of the next answer and spoil it.
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/app/core_routes.hpp"
#include "bot/http/router.hpp"
#include "bot/http/server.hpp"
#include "bot/metrics/http_metrics.hpp"
#include "bot/metrics/registry.hpp"
#include "tests/support/http_client.hpp"

using okr::bot::http::HttpRequest;
using okr::bot::http::HttpResponse;
using okr::bot::http::Respond;
using okr::bot::http::Router;
using okr::test::HttpConnection;
using namespace std::chrono_literals;

namespace {

HttpResponse text(std::string body) {
  HttpResponse r;
  r.content_type = "text/plain";
  r.body = std::move(body);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

struct HeadServer {
  HeadServer() {
    okr::bot::metrics::define_http_metrics(metrics, "9.9.9-test");
    okr::bot::app::add_core_routes(
        router, [] { return true; }, metrics);
    router.add("GET", "/page", [](const HttpRequest&) { return text("a page of 24 characters\n"); });
    router.add("POST", "/submit", [](const HttpRequest& r) { return text(r.body); });
    // Answers from another thread, as a long poll or a group commit does.
    router.add_deferred("GET", "/later", [this](HttpRequest&&, Respond respond) {
      std::lock_guard lock(mutex);
      answerers.emplace_back([respond] {
        std::this_thread::sleep_for(10ms);
        respond(text("answered later"));
      });
    });
    okr::config::HttpLimits limits;
    limits.read_timeout = 2s;
    limits.idle_timeout = 5s;
    limits.shutdown_grace = 5s;
    server.emplace(limits, router, metrics, 2);
    port = server->start("127.0.0.1", 0);
  }

  ~HeadServer() {
    for (auto& answerer : answerers)
      answerer.join();
    server.reset();
  }
  HeadServer(const HeadServer&) = delete;
  HeadServer& operator=(const HeadServer&) = delete;

  okr::bot::metrics::Registry metrics;
  Router router;
  std::mutex mutex;
  std::vector<std::thread> answerers;  // joined before the server stops
  std::optional<okr::bot::http::HttpServer> server;
  std::uint16_t port = 0;
};

}  // namespace

TEST_CASE("HEAD answers with the GET status and headers, the GET body's length and no body",
          "[http][head]") {
  HeadServer s;
  HttpConnection connection(s.port);
  const auto get = connection.request("GET", "/page");
  REQUIRE(get.status == 200);
  REQUIRE(get.body == "a page of 24 characters\n");

  const auto head = connection.request("HEAD", "/page");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.header("Content-Length") == std::to_string(get.body.size()));
  CHECK(head.header("Content-Type") == get.header("Content-Type"));
  CHECK(head.header("Cache-Control") == "no-store");
  CHECK(head.keep_alive);

  // Nothing of the body followed the header: the next answer on the connection is intact.
  const auto again = connection.request("GET", "/page");
  CHECK(again.status == 200);
  CHECK(again.body == get.body);
}

TEST_CASE("HEAD reaches the core GET routes and routes that answer later", "[http][head]") {
  HeadServer s;
  HttpConnection connection(s.port);
  const auto health = connection.request("HEAD", "/healthz");
  CHECK(health.status == 200);
  CHECK(health.body.empty());
  CHECK(health.header("Content-Length") ==
        std::to_string(connection.request("GET", "/healthz").body.size()));

  const auto later = connection.request("HEAD", "/later");
  CHECK(later.status == 200);
  CHECK(later.body.empty());
  CHECK(later.header("Content-Length") == std::to_string(std::string("answered later").size()));
  CHECK(connection.request("GET", "/later").body == "answered later");
}

TEST_CASE("HEAD on a path without GET is a 405 naming the methods, and errors carry no body",
          "[http][head]") {
  HeadServer s;
  HttpConnection connection(s.port);
  const auto refused = connection.request("HEAD", "/submit");
  CHECK(refused.status == 405);
  CHECK(refused.header("Allow") == "POST");
  CHECK(refused.body.empty());
  CHECK(refused.header("Content-Type") == "application/json");

  const auto missing = connection.request("HEAD", "/no/such/page");
  CHECK(missing.status == 404);
  CHECK(missing.body.empty());
  CHECK(missing.header("Content-Length") != "0");  // the length of the JSON error GET would get

  // A GET path's 405 for another method names HEAD beside GET.
  const auto wrong = connection.request("DELETE", "/page");
  CHECK(wrong.status == 405);
  CHECK(wrong.header("Allow") == "GET, HEAD");
  CHECK(nlohmann::json::parse(wrong.body).at("error") == "method_not_allowed");
}
