// Which CAs a TLS client context trusts, and what it holds in memory for them (trusted_cas.hpp).
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <boost/asio/ssl/context.hpp>
#include <catch2/catch.hpp>

#include "bot/http/trusted_cas.hpp"
#include "tests/support/fake_server.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/trust_store.hpp"

using okr::bot::http::trust_cas;
using okr::test::ScopedEnvironment;

namespace {

using Context = boost::asio::ssl::context;

// The certificates a context has parsed and keeps. A hashed directory adds one only when a
// handshake looks it up.
int loaded_certificates(Context& tls) {
  const auto* objects = X509_STORE_get0_objects(SSL_CTX_get_cert_store(tls.native_handle()));
  int count = 0;
  for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i)
    if (X509_OBJECT_get_type(sk_X509_OBJECT_value(objects, i)) == X509_LU_X509)
      ++count;
  return count;
}

// Two self-signed CAs in one PEM file, and each also under its hash name in `dir`.
std::string two_cas(const okr::test::TempDir& dir) {
  const auto file = (dir / "two-cas.pem").string();
  std::ofstream out(file);
  for (const char* name : {"first CA", "second CA"}) {
    const auto pem = okr::test::make_test_certificate(name).cert_pem;
    out << pem;
    const auto single = (dir / (std::string(name) + ".pem")).string();
    std::ofstream(single) << pem;
    std::filesystem::copy_file(single, dir / okr::test::hashed_ca_name(single));
  }
  return file;
}

}  // namespace

TEST_CASE("the system store through a hashed directory keeps no certificate parsed up front",
          "[http][tls]") {
  okr::test::TempDir dir;
  two_cas(dir);
  ScopedEnvironment no_file("SSL_CERT_FILE", std::nullopt);
  ScopedEnvironment hashed("SSL_CERT_DIR", dir.path().string());
  Context tls(Context::tls_client);
  REQUIRE_FALSE(trust_cas(tls, ""));
  // OpenSSL's default paths would also load its default bundle file here (on Debian the ~140
  // certificates of ca-certificates.crt, about 1 MB).
  CHECK(loaded_certificates(tls) == 0);
}

TEST_CASE("SSL_CERT_FILE is honoured as OpenSSL honours it: the file is loaded",
          "[http][tls]") {
  okr::test::TempDir dir;
  const auto file = two_cas(dir);
  ScopedEnvironment chosen("SSL_CERT_FILE", file);
  ScopedEnvironment hashed("SSL_CERT_DIR", dir.path().string());
  Context tls(Context::tls_client);
  REQUIRE_FALSE(trust_cas(tls, ""));
  CHECK(loaded_certificates(tls) == 2);
}

TEST_CASE("a CA file given in the config is loaded as it is", "[http][tls]") {
  okr::test::TempDir dir;
  const auto file = two_cas(dir);
  Context tls(Context::tls_client);
  REQUIRE_FALSE(trust_cas(tls, file));
  CHECK(loaded_certificates(tls) == 2);
}

TEST_CASE("a CA file that cannot be read is an error, not an empty trust store", "[http][tls]") {
  Context tls(Context::tls_client);
  CHECK(trust_cas(tls, "/nonexistent/ca.pem"));
}
