// docs/operations.md promises every exported metric with a suggested alert. The metric names are
// read from the code, so a new metric without a line in the table fails here with its name.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

const fs::path kSource{OKR_SOURCE_DIR};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// String literals that name a metric: our prefix, or a Prometheus counter/unit suffix.
std::set<std::string> metric_names_in_code() {
  const std::regex literal(
      R"re("(okr_coach_[a-z0-9_]+|okr_[a-z0-9_]+_(?:total|seconds|bytes|info))")re");
  std::set<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(kSource / "bot")) {
    const auto extension = entry.path().extension();
    if (extension != ".cpp" && extension != ".hpp") {
      continue;
    }
    const std::string text = read_file(entry.path());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), literal);
         it != std::sregex_iterator(); ++it) {
      names.insert((*it)[1].str());
    }
  }
  return names;
}

}  // namespace

TEST_CASE("docs/operations.md lists every metric the code exports", "[deploy][docs]") {
  const auto names = metric_names_in_code();
  // The scan must find the metrics it exists for, or it proves nothing.
  REQUIRE(names.count("okr_coach_http_requests_total") == 1);
  REQUIRE(names.count("okr_coach_outbox_depth") == 1);
  const std::string operations = read_file(kSource / "docs" / "operations.md");
  for (const std::string& name : names) {
    INFO(name << " is exported but not in the metrics table of docs/operations.md: add a row "
                 "with what it means and a suggested alert");
    CHECK(operations.find("| `" + name + "` |") != std::string::npos);
  }
}
