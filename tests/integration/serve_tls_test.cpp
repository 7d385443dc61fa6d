// Native TLS on the real `okr-coach serve`: a certificate made at test time, OKR_COACH_TLS_CERT
// and OKR_COACH_TLS_KEY in the environment, and real HTTPS clients over loopback.
#include <signal.h>

#include <fstream>
#include <map>
#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "bot/http/client.hpp"
#include "tests/support/fake_server.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using okr::test::Process;
using okr::test::TempDir;

namespace {

std::string write_file(const TempDir& dir, const std::string& name, const std::string& text) {
  const auto path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

// The port in "listening on https://HOST:PORT (...)".
std::optional<std::uint16_t> https_port(const std::string& line) {
  const std::string marker = "listening on https://";
  const auto at = line.find(marker);
  if (at == std::string::npos)
    return std::nullopt;
  const auto end = line.find_first_of(" \t)", at + marker.size());
  const auto url = line.substr(at + marker.size(), end - at - marker.size());
  const auto colon = url.rfind(':');
  if (colon == std::string::npos)
    return std::nullopt;
  return static_cast<std::uint16_t>(std::stoul(url.substr(colon + 1)));
}

// serve over HTTPS with a fresh certificate for 127.0.0.1; stopped when the test ends.
struct HttpsCoach {
  TempDir dir;
  std::string cert_file;
  std::string key_file;
  std::optional<Process> process;
  std::uint16_t port = 0;

  HttpsCoach() {
    const auto certificate = okr::test::make_test_certificate("okr-coach-test");
    cert_file = write_file(dir, "cert.pem", certificate.cert_pem);
    key_file = write_file(dir, "key.pem", certificate.key_pem);
    process.emplace(okr::test::okr_coach_binary(),
                    okr::test::okr_coach_options(
                        {"serve", "--listen", "127.0.0.1:0", "--db", (dir / "coach.db").string(),
                         "--threads", "2"},
                        {{"OKR_COACH_TLS_CERT", cert_file}, {"OKR_COACH_TLS_KEY", key_file}}));
    const auto line = process->wait_for_line("listening on https://");
    REQUIRE(line);
    const auto found = https_port(*line);
    REQUIRE(found);
    port = *found;
  }
  ~HttpsCoach() {
    if (process) {
      process->send_signal(SIGTERM);
      process->wait_exit();
    }
  }
  okr::bot::http::ClientResponse get(const std::string& path) const {
    okr::bot::http::ClientOptions options;
    options.ca_file = cert_file;  // trust exactly the test's certificate
    okr::bot::http::HttpClient client(options);
    return client.send({"GET", "https://127.0.0.1:" + std::to_string(port) + path, {}, {}, {}});
  }
};

}  // namespace

TEST_CASE("serve with a certificate and key answers /healthz over HTTPS", "[tls]") {
  HttpsCoach coach;
  const auto health = coach.get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.body.find("ok") != std::string::npos);
}

TEST_CASE("a client that does not trust the certificate is refused by its own check",
          "[tls]") {
  HttpsCoach coach;
  okr::bot::http::HttpClient client;  // the system store does not hold a test certificate
  try {
    client.send({"GET", "https://127.0.0.1:" + std::to_string(coach.port) + "/healthz", {}, {}, {}});
    FAIL("an untrusted certificate was accepted");
  } catch (const okr::bot::http::ClientError& error) {
    CHECK(error.kind() == okr::bot::http::ClientErrorKind::tls_failed);
  }
  CHECK(coach.get("/healthz").status == 200);
}

TEST_CASE("plain HTTP on the HTTPS port is closed, counted, and the server keeps serving",
          "[tls]") {
  HttpsCoach coach;
  {
    okr::test::HttpConnection plain(coach.port);
    REQUIRE(plain.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    CHECK(plain.wait_closed());
  }
  {
    okr::test::HttpConnection silent(coach.port);  // connects and never says hello
    silent.close();
  }
  CHECK(coach.get("/healthz").status == 200);
  const auto metrics = coach.get("/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.body.find("okr_coach_http_tls_handshake_failures_total ") != std::string::npos);
  CHECK(metrics.body.find("okr_coach_http_tls_handshake_failures_total 0") == std::string::npos);
}

TEST_CASE("a key that does not belong to the certificate stops serve with both file names",
          "[tls]") {
  TempDir dir;
  const auto cert_file =
      write_file(dir, "cert.pem", okr::test::make_test_certificate("one").cert_pem);
  const auto other_key = okr::test::make_test_certificate("two").key_pem;
  const auto key_file = write_file(dir, "other-key.pem", other_key);
  const auto result = okr::test::run_okr_coach(
      {"serve", "--listen", "127.0.0.1:0", "--db", (dir / "coach.db").string()},
      {{"OKR_COACH_TLS_CERT", cert_file}, {"OKR_COACH_TLS_KEY", key_file}});
  CHECK(result.exit_code != 0);
  const auto output = result.out + result.err;
  CHECK(output.find("does not belong to the certificate") != std::string::npos);
  CHECK(output.find(cert_file) != std::string::npos);
  CHECK(output.find(key_file) != std::string::npos);
  CHECK(output.find("PRIVATE KEY") == std::string::npos);  // no key material, not even its frame
  CHECK(output.find("listening on") == std::string::npos);
}

TEST_CASE("a certificate without a key stops serve naming both variables", "[tls]") {
  TempDir dir;
  const auto cert_file =
      write_file(dir, "cert.pem", okr::test::make_test_certificate("alone").cert_pem);
  const auto result = okr::test::run_okr_coach(
      {"serve", "--listen", "127.0.0.1:0", "--db", (dir / "coach.db").string()},
      {{"OKR_COACH_TLS_CERT", cert_file}});
  CHECK(result.exit_code != 0);
  const auto output = result.out + result.err;
  CHECK(output.find("OKR_COACH_TLS_CERT") != std::string::npos);
  CHECK(output.find("OKR_COACH_TLS_KEY") != std::string::npos);
  CHECK(output.find("listening on") == std::string::npos);
}
