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
    std::string pattern = (fs::temp_directory_path() / "okr-ca-file-test-XXXXXX").string();
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

LoadResult load_with_ca_file(const std::string& value) {
  Sources sources;
  sources.environment["OKR_COACH_CA_FILE"] = value;
  return load(sources);
}

}  // namespace

TEST_CASE("without OKR_COACH_CA_FILE outgoing HTTPS trusts the system store", "[config]") {
  const auto result = load(Sources{});
  REQUIRE(result.ok());
  CHECK(result.config.ca_file.empty());
}

TEST_CASE("OKR_COACH_CA_FILE naming a readable file is taken", "[config]") {
  TempDir dir;
  const auto pem = (dir.path / "ca.pem").string();
  std::ofstream(pem) << "-----BEGIN CERTIFICATE-----\n";
  const auto result = load_with_ca_file(pem);
  REQUIRE(result.ok());
  CHECK(result.config.ca_file == pem);
}

TEST_CASE("OKR_COACH_CA_FILE naming a missing file or a directory is a problem", "[config]") {
  TempDir dir;
  for (const auto& bad : {(dir.path / "missing.pem").string(), dir.path.string()}) {
    INFO(bad);
    const auto result = load_with_ca_file(bad);
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].field == "OKR_COACH_CA_FILE");
    CHECK_THAT(result.problems[0].message, Catch::Contains("must be an existing file"));
  }
}
