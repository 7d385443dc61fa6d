// The outgoing HTTP(S) client against real servers on 127.0.0.1 port 0: our own HTTP server for
// request shape and stale connections, the fake Slack for connection counting, timeouts and TLS.
#include <atomic>
#include <chrono>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>

#include "bot/http/client.hpp"
#include "bot/http/router.hpp"
#include "bot/http/server.hpp"
#include "bot/metrics/http_metrics.hpp"
#include "bot/metrics/registry.hpp"
#include "config/config.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/temp_dir.hpp"

using okr::bot::http::ClientError;
using okr::bot::http::ClientErrorKind;
using okr::bot::http::ClientOptions;
using okr::bot::http::ClientRequest;
using okr::bot::http::HttpClient;
using okr::bot::http::HttpRequest;
using okr::bot::http::HttpResponse;
using okr::test::FakeSlack;
using okr::test::Fault;
using okr::test::FaultKind;
using namespace std::chrono_literals;

namespace {

// Our own server with an echo route that reflects method, target, a header and the body.
struct EchoServer {
  explicit EchoServer(std::chrono::milliseconds idle_timeout = 60s) {
    okr::bot::metrics::define_http_metrics(metrics, "test");
    router.add("POST", "/echo/{name}", [](const HttpRequest& r) {
      HttpResponse out;
      out.content_type = "text/plain";
      out.body = r.method + " " + r.path + "?" + r.query + " " +
                 std::string(r.header("X-Trace").value_or("-")) + " " + r.body;
      out.headers.emplace_back("X-Answer", "yes");
      return out;
    });
    router.add("GET", "/missing", [](const HttpRequest&) {
      return okr::bot::http::json_error(404, "not_found", "nothing here");
    });
    okr::config::HttpLimits limits;
    limits.idle_timeout = idle_timeout;
    server.emplace(limits, router, metrics, 2);
    port = server->start("127.0.0.1", 0);
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }
  okr::bot::metrics::Registry metrics;
  okr::bot::http::Router router;
  std::optional<okr::bot::http::HttpServer> server;
  std::uint16_t port = 0;
};

ClientRequest post(std::string url, std::string body = "{}") {
  ClientRequest request;
  request.method = "POST";
  request.url = std::move(url);
  request.body = std::move(body);
  return request;
}

ClientErrorKind kind_of_failure(HttpClient& client, const ClientRequest& request,
                                std::string* message = nullptr) {
  try {
    client.send(request);
  } catch (const ClientError& error) {
    if (message) {
      *message = error.what();
    }
    return error.kind();
  }
  FAIL("the request was expected to fail");
  return ClientErrorKind::protocol;
}

// A port on 127.0.0.1 that nothing listens on (bound, then released).
std::uint16_t closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

}  // namespace

TEST_CASE("the client sends method, target, headers and body and returns the whole answer",
          "[http_client]") {
  EchoServer server;
  HttpClient client;
  auto request = post(server.url("/echo/one?x=1&y=%20"), "payload");
  request.headers.emplace_back("X-Trace", "abc");
  const auto response = client.send(request);
  CHECK(response.status == 200);
  CHECK(response.body == "POST /echo/one?x=1&y=%20 abc payload");
  CHECK(response.header("x-answer") == std::optional<std::string_view>("yes"));
  CHECK(response.header("Content-Type") == std::optional<std::string_view>("text/plain"));
}

TEST_CASE("an error status is an answer, not an exception", "[http_client]") {
  EchoServer server;
  HttpClient client;
  ClientRequest request;
  request.url = server.url("/missing");
  const auto response = client.send(request);
  CHECK(response.status == 404);
  CHECK(response.body.find("not_found") != std::string::npos);
}

TEST_CASE("sequential requests to one host reuse one kept-alive connection", "[http_client]") {
  FakeSlack fake;
  HttpClient client;
  for (int i = 0; i < 5; ++i) {
    CHECK(client.send(post(fake.response_url("r" + std::to_string(i)))).status == 200);
  }
  CHECK(fake.calls().size() == 5);
  CHECK(fake.connections_accepted() == 1);
  CHECK(client.connections_opened() == 1);
}

TEST_CASE("a pooled connection the server closed meanwhile is replaced without an error",
          "[http_client]") {
  EchoServer server(50ms);
  HttpClient client;
  CHECK(client.send(post(server.url("/echo/a"), "first")).status == 200);
  // Wait until the server has dropped the idle connection (no timing is asserted).
  for (int i = 0; i < 200 && server.server->open_connections() > 0; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  REQUIRE(server.server->open_connections() == 0);
  const auto second = client.send(post(server.url("/echo/a"), "second"));
  CHECK(second.status == 200);
  CHECK(second.body.ends_with("second"));
  CHECK(client.connections_opened() == 2);
}

TEST_CASE("an answer slower than the timeout fails with a timeout error", "[http_client]") {
  FakeSlack fake;
  fake.fail_next(1, Fault{FaultKind::delay, 0, 5s, {}});
  ClientOptions options;
  options.total_timeout = 200ms;
  HttpClient client(options);
  auto request = post(fake.response_url("slow"));
  request.headers.emplace_back("Authorization", "Bearer xoxb-secret-in-a-header");
  std::string message;
  CHECK(kind_of_failure(client, request, &message) == ClientErrorKind::timeout);
  CHECK(message.find("127.0.0.1") != std::string::npos);
  CHECK(message.find("xoxb-secret-in-a-header") == std::string::npos);
  // The client stays usable after a timeout.
  CHECK(client.send(post(fake.response_url("fast"))).status == 200);
}

TEST_CASE("an answer larger than max_response_bytes fails with a protocol error", "[http_client]") {
  EchoServer server;
  ClientOptions options;
  options.max_response_bytes = 64;
  HttpClient client(options);
  CHECK(client.send(post(server.url("/echo/small"), "short")).status == 200);
  CHECK(kind_of_failure(client, post(server.url("/echo/big"), std::string(500, 'x'))) ==
        ClientErrorKind::protocol);
}

TEST_CASE("a port nobody listens on fails with connect_failed", "[http_client]") {
  HttpClient client;
  const auto url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/x";
  CHECK(kind_of_failure(client, post(url)) == ClientErrorKind::connect_failed);
}

TEST_CASE("a URL that is not absolute http(s) fails with invalid_url", "[http_client]") {
  HttpClient client;
  for (const char* url : {"", "/relative", "ftp://127.0.0.1/x", "http:///nohost"}) {
    INFO(url);
    CHECK(kind_of_failure(client, post(url)) == ClientErrorKind::invalid_url);
  }
}

TEST_CASE("https succeeds when the server's certificate is signed by the configured CA",
          "[http_client][tls]") {
  FakeSlack fake(FakeSlack::Options{.https = true});
  ClientOptions options;
  options.ca_file = fake.ca_file();
  HttpClient client(options);
  CHECK(fake.response_url("x").starts_with("https://"));
  CHECK(client.send(post(fake.response_url("x"), R"({"text":"hi"})")).status == 200);
  CHECK(client.send(post(fake.response_url("y"))).status == 200);
  REQUIRE(fake.calls().size() == 2);
  CHECK(fake.calls()[0].json.at("text") == "hi");
  CHECK(fake.connections_accepted() == 1);
}

TEST_CASE("https verifies against the system store by default, which rejects a self-signed server",
          "[http_client][tls]") {
  FakeSlack fake(FakeSlack::Options{.https = true});
  HttpClient client(okr::bot::http::client_options(okr::config::Config{}));
  CHECK(kind_of_failure(client, post(fake.response_url("x"))) == ClientErrorKind::tls_failed);
  CHECK(fake.calls().empty());
}

TEST_CASE("the client trusts the CA file named in the config", "[http_client][tls]") {
  FakeSlack fake(FakeSlack::Options{.https = true});
  okr::config::Config config;
  config.ca_file = fake.ca_file();
  HttpClient client(okr::bot::http::client_options(config));
  CHECK(client.send(post(fake.response_url("x"))).status == 200);
}

TEST_CASE("one client serves several threads at once, each request answered once",
          "[http_client]") {
  FakeSlack fake;
  HttpClient client;
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        const auto id = std::to_string(t) + "-" + std::to_string(i);
        if (client.send(post(fake.response_url(id))).status == 200) {
          ++answered;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(answered == 20);
  CHECK(fake.calls().size() == 20);
  CHECK(client.connections_opened() <= 4);
}

TEST_CASE("https fails with tls_failed when the certificate is not signed by a trusted CA",
          "[http_client][tls]") {
  FakeSlack fake(FakeSlack::Options{.https = true});
  okr::test::TempDir dir;
  const auto other_ca = (dir / "other-ca.pem").string();
  std::ofstream(other_ca) << okr::test::make_test_certificate("someone else").cert_pem;
  ClientOptions options;
  options.ca_file = other_ca;
  HttpClient client(options);
  std::string message;
  CHECK(kind_of_failure(client, post(fake.response_url("x")), &message) ==
        ClientErrorKind::tls_failed);
  CHECK(message.find("certificate") != std::string::npos);
  CHECK(fake.calls().empty());
}

TEST_CASE("https fails with tls_failed when the trusted certificate names another host",
          "[http_client][tls]") {
  FakeSlack::Options fake_options;
  fake_options.https = true;
  fake_options.certificate_names = "DNS:elsewhere.test";
  FakeSlack fake(fake_options);
  ClientOptions options;
  options.ca_file = fake.ca_file();
  HttpClient client(options);
  std::string message;
  CHECK(kind_of_failure(client, post(fake.response_url("x")), &message) ==
        ClientErrorKind::tls_failed);
  CHECK(message.find("certificate") != std::string::npos);
}

TEST_CASE("a CA file that cannot be loaded fails at construction with tls_failed",
          "[http_client][tls]") {
  okr::test::TempDir dir;
  const auto garbage = (dir / "garbage.pem").string();
  std::ofstream(garbage) << "not a certificate\n";
  for (const auto& path : {garbage, (dir / "missing.pem").string()}) {
    INFO(path);
    ClientOptions options;
    options.ca_file = path;
    try {
      HttpClient client(options);
      FAIL("construction was expected to fail");
    } catch (const ClientError& error) {
      CHECK(error.kind() == ClientErrorKind::tls_failed);
    }
  }
}
