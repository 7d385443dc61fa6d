// The real HTTP server, in-process on 127.0.0.1 port 0, spoken to over real sockets.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
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
using okr::bot::http::HttpServer;
using okr::bot::http::Router;
using okr::test::HttpConnection;
using okr::test::HttpReply;
using namespace std::chrono_literals;
using namespace std::string_literals;

namespace {

// Limits small enough for tests to reach them; timeouts only need to be shorter than the
// test deadlines, they are never asserted on.
okr::config::HttpLimits test_limits() {
  okr::config::HttpLimits limits;
  limits.max_body_bytes = 1024;
  limits.read_timeout = 300ms;
  limits.idle_timeout = 2s;
  limits.shutdown_grace = 10s;
  return limits;
}

HttpResponse text(std::string body) {
  HttpResponse r;
  r.content_type = "text/plain";
  r.body = std::move(body);
  return r;
}

// A server with a few routes of its own plus the core ones.
struct TestServer {
  explicit TestServer(okr::config::HttpLimits limits = test_limits(),
                      const std::function<void(Router&)>& extra_routes = {}) {
    okr::bot::metrics::define_http_metrics(metrics, "9.9.9-test");
    okr::bot::app::add_core_routes(
        router, [this] { return ready.load(); }, metrics);
    router.add("GET", "/hello", [](const HttpRequest&) { return text("hello"); });
    router.add("POST", "/echo", [](const HttpRequest& r) { return text(r.body); });
    router.add(
        "POST", "/tiny", [](const HttpRequest& r) { return text(r.body); }, 8);
    router.add("GET", "/boom", [](const HttpRequest&) -> HttpResponse {
      throw std::runtime_error("handler failed on purpose");
    });
    if (extra_routes) {
      extra_routes(router);
    }
    server.emplace(limits, router, metrics, 2);
    port = server->start("127.0.0.1", 0);
  }

  okr::bot::metrics::Registry metrics;
  Router router;
  std::atomic<bool> ready{true};
  std::optional<HttpServer> server;
  std::uint16_t port = 0;
};

std::string json_error_code(const HttpReply& reply) {
  return nlohmann::json::parse(reply.body).at("error").get<std::string>();
}

}  // namespace

TEST_CASE("the server answers a registered route on the port it reports", "[http]") {
  TestServer s;
  REQUIRE(s.port != 0);
  auto reply = okr::test::http_request(s.port, "GET", "/hello");
  CHECK(reply.status == 200);
  CHECK(reply.body == "hello");
  CHECK(reply.header("Content-Type") == "text/plain");
}

TEST_CASE("healthz, readyz and metrics answer as the core routes promise", "[http]") {
  TestServer s;
  auto health = okr::test::http_request(s.port, "GET", "/healthz");
  CHECK(health.status == 200);
  CHECK(nlohmann::json::parse(health.body) == nlohmann::json{{"status", "ok"}});

  auto ready = okr::test::http_request(s.port, "GET", "/readyz");
  CHECK(ready.status == 200);
  CHECK(nlohmann::json::parse(ready.body) == nlohmann::json{{"status", "ready"}});
  s.ready = false;
  auto not_ready = okr::test::http_request(s.port, "GET", "/readyz");
  CHECK(not_ready.status == 503);
  CHECK(json_error_code(not_ready) == "not_ready");

  auto metrics = okr::test::http_request(s.port, "GET", "/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.header("Content-Type").value_or("").find("version=0.0.4") != std::string::npos);
  CHECK(metrics.body.find("okr_coach_build_info{version=\"9.9.9-test\"} 1") != std::string::npos);
}

TEST_CASE("an unknown path is a JSON 404", "[http]") {
  TestServer s;
  auto reply = okr::test::http_request(s.port, "GET", "/no/such/page?token=secret");
  CHECK(reply.status == 404);
  CHECK(reply.header("Content-Type") == "application/json");
  CHECK(json_error_code(reply) == "not_found");
}

TEST_CASE("a wrong method is a 405 with Allow", "[http]") {
  TestServer s;
  auto reply = okr::test::http_request(s.port, "DELETE", "/echo");
  CHECK(reply.status == 405);
  CHECK(reply.header("Allow") == "POST");
  CHECK(json_error_code(reply) == "method_not_allowed");
}

TEST_CASE("a request body arrives byte for byte", "[http]") {
  TestServer s;
  std::string body = "line one\r\nline two\0with nul"s;
  body += std::string(500, 'x');
  auto reply = okr::test::http_request(s.port, "POST", "/echo", body);
  CHECK(reply.status == 200);
  CHECK(reply.body == body);
}

TEST_CASE("a too large Content-Length is refused with 413 before the body is sent", "[http]") {
  TestServer s;
  HttpConnection c(s.port);
  // Only the header goes out: the answer must come without the server waiting for the body.
  REQUIRE(c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 50000000\r\n\r\n"));
  auto reply = c.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 413);
  CHECK(json_error_code(*reply) == "payload_too_large");
  CHECK_FALSE(reply->keep_alive);
  CHECK(c.wait_closed());
}

TEST_CASE("a chunked body that grows past the limit is refused with 413", "[http]") {
  TestServer s;
  HttpConnection c(s.port);
  std::string chunk(600, 'c');
  std::string raw = "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) {
    raw += "258\r\n" + chunk + "\r\n";  // 0x258 = 600
  }
  raw += "0\r\n\r\n";
  c.send(raw);
  auto reply = c.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 413);
  CHECK(c.wait_closed());
}

TEST_CASE("a route's own body limit applies instead of the server's", "[http]") {
  TestServer s;
  CHECK(okr::test::http_request(s.port, "POST", "/tiny", "12345678").status == 200);
  CHECK(okr::test::http_request(s.port, "POST", "/tiny", "123456789").status == 413);
}

TEST_CASE("a header block over the limit is refused with 431 and the connection closed", "[http]") {
  TestServer s;
  HttpConnection c(s.port);
  std::string raw =
      "GET /hello HTTP/1.1\r\nHost: t\r\nX-Padding: " + std::string(20 * 1024, 'p') + "\r\n\r\n";
  c.send(raw);
  auto reply = c.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 431);
  CHECK(json_error_code(*reply) == "header_too_large");
  CHECK(c.wait_closed());
}

TEST_CASE("a request that does not complete within read_timeout gets 408 and is closed", "[http]") {
  TestServer s;
  HttpConnection c(s.port);
  REQUIRE(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n"));  // the blank line never comes
  auto reply = c.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 408);
  CHECK(json_error_code(*reply) == "request_timeout");
  CHECK(c.wait_closed());
}

TEST_CASE("a body that stops arriving gets 408", "[http]") {
  TestServer s;
  HttpConnection c(s.port);
  REQUIRE(c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly part"));
  auto reply = c.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 408);
}

TEST_CASE("malformed HTTP is a JSON 400 and the connection is closed", "[http]") {
  TestServer s;
  HttpConnection c(s.port);
  c.send("THIS IS NOT HTTP\r\n\r\n");
  auto reply = c.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 400);
  CHECK(json_error_code(*reply) == "bad_request");
  CHECK(c.wait_closed());
}

TEST_CASE("two requests travel on one kept-alive connection", "[http]") {
  TestServer s;
  HttpConnection c(s.port);
  auto first = c.request("GET", "/hello");
  CHECK(first.status == 200);
  CHECK(first.keep_alive);
  auto second = c.request("POST", "/echo", "again");
  CHECK(second.status == 200);
  CHECK(second.body == "again");
  CHECK(s.server->open_connections() == 1);
}

TEST_CASE("an idle kept-alive connection is closed after idle_timeout", "[http]") {
  auto limits = test_limits();
  limits.idle_timeout = 200ms;
  TestServer s(limits);
  HttpConnection c(s.port);
  CHECK(c.request("GET", "/hello").status == 200);
  CHECK(c.wait_closed());
}

TEST_CASE("Expect: 100-continue gets an interim 100 before the body is sent", "[http]") {
  TestServer s;
  HttpConnection c(s.port);
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  auto interim = c.read_reply();
  REQUIRE(interim);
  CHECK(interim->status == 100);
  c.send("hello");
  auto reply = c.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 200);
  CHECK(reply->body == "hello");
}

TEST_CASE("a handler that throws is a JSON 500 and the connection stays usable", "[http]") {
  TestServer s;
  HttpConnection c(s.port);
  auto failed = c.request("GET", "/boom");
  CHECK(failed.status == 500);
  CHECK(json_error_code(failed) == "internal");
  CHECK(failed.body.find("on purpose") == std::string::npos);
  CHECK(c.request("GET", "/hello").status == 200);
}

TEST_CASE("connections beyond max_connections get 503 and are closed", "[http]") {
  auto limits = test_limits();
  limits.max_connections = 2;
  limits.read_timeout = 10s;  // the two held connections must stay open meanwhile
  limits.idle_timeout = 10s;
  TestServer s(limits);
  HttpConnection first(s.port);
  HttpConnection second(s.port);
  // A completed request proves each one is being served, not just queued in the backlog.
  REQUIRE(first.request("GET", "/hello").status == 200);
  REQUIRE(second.request("GET", "/hello").status == 200);

  HttpConnection third(s.port);
  third.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  auto reply = third.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 503);
  CHECK(json_error_code(*reply) == "overloaded");
  CHECK(third.wait_closed());
  // The connections already admitted are unaffected.
  CHECK(first.request("GET", "/hello").status == 200);
}

TEST_CASE("a graceful stop lets the request in flight finish, then closes", "[http]") {
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  TestServer s(test_limits(), [&](Router& router) {
    router.add("GET", "/slow", [&entered, released](const HttpRequest&) {
      entered.set_value();
      released.wait();
      return text("finished");
    });
  });
  // If a check fails early, release the handler anyway so the server can stop and the test
  // ends instead of hanging.
  struct ReleaseOnExit {
    std::promise<void>& release;
    bool done = false;
    ~ReleaseOnExit() {
      if (!done) {
        release.set_value();
      }
    }
  } guard{release};
  HttpConnection idle(s.port);
  REQUIRE(idle.request("GET", "/hello").status == 200);

  HttpConnection busy(s.port);
  REQUIRE(busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"));
  REQUIRE(entered.get_future().wait_for(20s) == std::future_status::ready);

  s.server->request_stop();
  // An idle connection is closed at once, while the slow request is still running.
  CHECK(idle.wait_closed());
  // New connections are no longer accepted: wait for the listener to close.
  bool refused = false;
  for (int attempt = 0; attempt < 2000 && !refused; ++attempt) {
    try {
      HttpConnection probe(s.port);
      std::this_thread::sleep_for(10ms);
    } catch (const std::runtime_error&) {
      refused = true;
    }
  }
  CHECK(refused);

  release.set_value();
  guard.done = true;
  auto reply = busy.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 200);
  CHECK(reply->body == "finished");
  CHECK_FALSE(reply->keep_alive);
  CHECK(busy.wait_closed());
  busy.close();  // as a client does on Connection: close; the server then ends its lingering read
  s.server->wait();
  CHECK(s.server->open_connections() == 0);
}

TEST_CASE("metrics count requests by route pattern and status", "[http]") {
  TestServer s;
  okr::test::http_request(s.port, "GET", "/hello");
  okr::test::http_request(s.port, "GET", "/hello");
  okr::test::http_request(s.port, "GET", "/missing/123");
  // Counted before the answer goes out, so nothing to wait for once the replies are in.
  const std::string hello = "okr_coach_http_requests_total{route=\"/hello\",status=\"200\"} 2\n";
  const std::string missing =
      "okr_coach_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n";
  const std::string text = s.metrics.render();
  CHECK(text.find(hello) != std::string::npos);
  CHECK(text.find(missing) != std::string::npos);
  CHECK(text.find("okr_coach_http_request_duration_seconds_count{route=\"/hello\"} 2\n") !=
        std::string::npos);
  CHECK(text.find("/missing/123") == std::string::npos);
}

TEST_CASE("after shutdown_grace a request still arriving is cut off and the server ends",
          "[http]") {
  auto limits = test_limits();
  limits.read_timeout = 20s;  // so only the grace period can end the slow request
  limits.shutdown_grace = 200ms;
  TestServer s(limits);
  HttpConnection slow(s.port);
  REQUIRE(slow.send("GET /hello HTTP/1.1\r\nHost: t\r\n"));  // half a request, then silence
  // Make sure the server is serving this connection before stopping it.
  HttpConnection other(s.port);
  REQUIRE(other.request("GET", "/hello").status == 200);
  other.close();

  s.server->request_stop();
  CHECK(slow.wait_closed());
  s.server->wait();
  CHECK(s.server->open_connections() == 0);
}

TEST_CASE("refused connections do not count as open ones", "[http]") {
  auto limits = test_limits();
  limits.max_connections = 1;
  limits.idle_timeout = 10s;
  limits.read_timeout = 10s;
  TestServer s(limits);
  HttpConnection held(s.port);
  REQUIRE(held.request("GET", "/hello").status == 200);
  for (int i = 0; i < 3; ++i) {
    HttpConnection extra(s.port);
    extra.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
    auto reply = extra.read_reply();
    REQUIRE(reply);
    CHECK(reply->status == 503);
  }
  CHECK(s.server->open_connections() == 1);
  CHECK(held.request("GET", "/hello").status == 200);
}

namespace {

// Keeps the `respond` of every request to a deferred route until the test answers them.
struct HeldAnswers {
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<okr::bot::http::Respond> waiting;

  void hold(okr::bot::http::Respond respond) {
    {
      std::lock_guard lock(mutex);
      waiting.push_back(std::move(respond));
    }
    arrived.notify_all();
  }
  // Waits until `count` requests are held (false at the test deadline).
  bool wait_for(std::size_t count) {
    std::unique_lock lock(mutex);
    return arrived.wait_for(lock, 20s, [&] { return waiting.size() >= count; });
  }
  std::vector<okr::bot::http::Respond> take() {
    std::lock_guard lock(mutex);
    return std::exchange(waiting, {});
  }
};

std::function<void(Router&)> later_routes(HeldAnswers& held) {
  return [&held](Router& router) {
    router.add_deferred("GET", "/later", [&held](HttpRequest&&, okr::bot::http::Respond respond) {
      held.hold(std::move(respond));
    });
    router.add_deferred("GET", "/now", [](HttpRequest&& r, okr::bot::http::Respond respond) {
      respond(text("now " + r.query));
    });
    router.add_deferred("GET", "/dropped", [](HttpRequest&&, okr::bot::http::Respond) {});
    router.add_deferred("GET", "/throws", [](HttpRequest&&, okr::bot::http::Respond) {
      throw std::runtime_error("deferred handler failed on purpose");
    });
  };
}

}  // namespace

TEST_CASE("a deferred route answers when respond is called later from another thread", "[http]") {
  HeldAnswers held;
  TestServer s(test_limits(), later_routes(held));
  HttpConnection c(s.port);
  REQUIRE(c.send("GET /later HTTP/1.1\r\nHost: t\r\n\r\n"));
  REQUIRE(held.wait_for(1));
  std::thread([respond = held.take().front()] { respond(text("answered later")); }).join();
  auto reply = c.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 200);
  CHECK(reply->body == "answered later");
  CHECK(reply->keep_alive);
  CHECK(c.request("GET", "/hello").status == 200);  // the connection carries on
  const std::string text = s.metrics.render();
  CHECK(text.find("okr_coach_http_requests_total{route=\"/later\",status=\"200\"} 1\n") !=
        std::string::npos);
}

TEST_CASE("requests waiting on a deferred route hold no server thread", "[http]") {
  HeldAnswers held;
  TestServer s(test_limits(), later_routes(held));  // two server threads
  std::vector<std::unique_ptr<HttpConnection>> waiting;
  for (int i = 0; i < 6; ++i) {
    waiting.push_back(std::make_unique<HttpConnection>(s.port));
    REQUIRE(waiting.back()->send("GET /later HTTP/1.1\r\nHost: t\r\n\r\n"));
  }
  REQUIRE(held.wait_for(6));
  CHECK(okr::test::http_request(s.port, "GET", "/healthz").status == 200);
  auto answers = held.take();
  for (auto& respond : answers) {
    respond(text("done"));
  }
  for (auto& connection : waiting) {
    auto reply = connection->read_reply();
    REQUIRE(reply);
    CHECK(reply->body == "done");
  }
}

TEST_CASE("a deferred handler may answer before it returns", "[http]") {
  HeldAnswers held;
  TestServer s(test_limits(), later_routes(held));
  auto reply = okr::test::http_request(s.port, "GET", "/now?x=1");
  CHECK(reply.status == 200);
  CHECK(reply.body == "now x=1");
}

TEST_CASE("a second answer to a deferred request is ignored", "[http]") {
  HeldAnswers held;
  TestServer s(test_limits(), later_routes(held));
  HttpConnection c(s.port);
  REQUIRE(c.send("GET /later HTTP/1.1\r\nHost: t\r\n\r\n"));
  REQUIRE(held.wait_for(1));
  auto respond = held.take().front();
  respond(text("first"));
  respond(text("second"));
  auto reply = c.read_reply();
  REQUIRE(reply);
  CHECK(reply->body == "first");
  CHECK(c.request("GET", "/hello").body == "hello");  // no stray second response on the wire
}

TEST_CASE("a deferred handler that drops respond without calling it gets a JSON 500", "[http]") {
  HeldAnswers held;
  TestServer s(test_limits(), later_routes(held));
  HttpConnection c(s.port);
  auto reply = c.request("GET", "/dropped");
  CHECK(reply.status == 500);
  CHECK(json_error_code(reply) == "internal");
  CHECK(c.request("GET", "/hello").status == 200);
}

TEST_CASE("a deferred handler that throws gets a JSON 500 without its message", "[http]") {
  HeldAnswers held;
  TestServer s(test_limits(), later_routes(held));
  auto reply = okr::test::http_request(s.port, "GET", "/throws");
  CHECK(reply.status == 500);
  CHECK(json_error_code(reply) == "internal");
  CHECK(reply.body.find("on purpose") == std::string::npos);
}

TEST_CASE("on stop a deferred request answered within the grace period gets its answer",
          "[http]") {
  HeldAnswers held;
  TestServer s(test_limits(), later_routes(held));
  HttpConnection c(s.port);
  REQUIRE(c.send("GET /later HTTP/1.1\r\nHost: t\r\n\r\n"));
  REQUIRE(held.wait_for(1));
  s.server->request_stop();
  held.take().front()(text("just in time"));
  auto reply = c.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 200);
  CHECK(reply->body == "just in time");
  CHECK_FALSE(reply->keep_alive);
  c.close();
  s.server->wait();
}

TEST_CASE("on stop a deferred request still unanswered after shutdown_grace gets 503", "[http]") {
  auto limits = test_limits();
  limits.shutdown_grace = 200ms;
  HeldAnswers held;
  TestServer s(limits, later_routes(held));
  HttpConnection c(s.port);
  REQUIRE(c.send("GET /later HTTP/1.1\r\nHost: t\r\n\r\n"));
  REQUIRE(held.wait_for(1));
  s.server->request_stop();
  auto reply = c.read_reply();
  REQUIRE(reply);
  CHECK(reply->status == 503);
  CHECK(json_error_code(*reply) == "shutting_down");
  CHECK(c.wait_closed());
  s.server->wait();
  CHECK(s.server->open_connections() == 0);
  // A late answer after the server is gone is harmless.
  held.take().front()(text("too late"));
}
