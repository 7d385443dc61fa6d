// OKR_COACH_TLS_CERT and OKR_COACH_TLS_KEY come as a pair: both (serve HTTPS) or neither.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/load.hpp"

namespace fs = std::filesystem;
using namespace okr::config;

namespace {

// A private temporary directory (tests run in parallel), removed afterwards.
struct TempDir {
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "okr-tls-pair-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

std::string file_in(const TempDir& dir, const std::string& name) {
  const auto path = (dir.path / name).string();
  std::ofstream(path) << "-----BEGIN PLACEHOLDER-----\n";
  return path;
}

}  // namespace

TEST_CASE("neither TLS setting means plain HTTP and no problem", "[config]") {
  const auto result = load(Sources{});
  CHECK(result.ok());
  CHECK(result.config.tls_cert_file.empty());
  CHECK(result.config.tls_key_file.empty());
}

TEST_CASE("both TLS settings are accepted together", "[config]") {
  TempDir dir;
  Sources sources;
  sources.environment["OKR_COACH_TLS_CERT"] = file_in(dir, "cert.pem");
  sources.environment["OKR_COACH_TLS_KEY"] = file_in(dir, "key.pem");
  const auto result = load(sources);
  CHECK(result.ok());
  CHECK(result.config.tls_cert_file == sources.environment["OKR_COACH_TLS_CERT"]);
}

TEST_CASE("a TLS certificate without its key is one problem naming both variables", "[config]") {
  TempDir dir;
  Sources sources;
  sources.environment["OKR_COACH_TLS_CERT"] = file_in(dir, "cert.pem");
  const auto result = load(sources);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].field == "OKR_COACH_TLS_KEY");
  CHECK(result.problems[0].message.find("OKR_COACH_TLS_CERT") != std::string::npos);
  CHECK(result.problems[0].message.find("OKR_COACH_TLS_KEY") != std::string::npos);
}

TEST_CASE("a TLS key without its certificate is refused too", "[config]") {
  TempDir dir;
  Sources sources;
  sources.environment["OKR_COACH_TLS_KEY"] = file_in(dir, "key.pem");
  const auto result = load(sources);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].field == "OKR_COACH_TLS_CERT");
}

TEST_CASE("an unreadable TLS file is reported once, not also as a missing pair", "[config]") {
  TempDir dir;
  Sources sources;
  sources.environment["OKR_COACH_TLS_CERT"] = file_in(dir, "cert.pem");
  sources.environment["OKR_COACH_TLS_KEY"] = (dir.path / "missing.pem").string();
  const auto result = load(sources);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].field == "OKR_COACH_TLS_KEY");
}
