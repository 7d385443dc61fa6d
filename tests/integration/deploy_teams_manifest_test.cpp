// deploy/teams/: the manifest has what Teams requires before it accepts an app package (the
// fields, their length limits, the icon sizes), and package.sh fills in the bot's ids and
// builds the zip `make teams-package` produces.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using nlohmann::json;
using okr::test::Process;
using okr::test::ProcessOptions;
using okr::test::TempDir;

namespace {

namespace fs = std::filesystem;

const fs::path kTeams = fs::path(OKR_SOURCE_DIR) / "deploy" / "teams";
const std::regex kGuid(
    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json manifest() {
  return json::parse(read_file(kTeams / "manifest.json"));
}

struct PngSize {
  unsigned width = 0;
  unsigned height = 0;
};

unsigned big_endian(const std::string& bytes, std::size_t at) {
  unsigned value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  }
  return value;
}

// Width and height from the IHDR chunk, which a PNG must start with.
std::optional<PngSize> png_size(const fs::path& path) {
  const std::string bytes = read_file(path);
  if (bytes.size() < 24 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 ||
      bytes.compare(12, 4, "IHDR") != 0) {
    return std::nullopt;
  }
  return PngSize{big_endian(bytes, 16), big_endian(bytes, 20)};
}

// Runs deploy/teams/package.sh with only the variables given (plus PATH and HOME so bash and
// python3 are found), and returns the exit code.
int run_package(const std::map<std::string, std::string>& teams_env, const fs::path& output,
                std::string& stderr_text) {
  ProcessOptions options;
  options.args = {(kTeams / "package.sh").string(), output.string()};
  for (const char* name : {"PATH", "HOME", "PYENV_ROOT"}) {
    if (const char* value = std::getenv(name)) {
      options.env[name] = value;
    }
  }
  for (const auto& [name, value] : teams_env) {
    options.env[name] = value;
  }
  Process process("/bin/bash", options);
  const auto code = process.wait_exit();
  REQUIRE(code.has_value());
  stderr_text = process.err();
  return *code;
}

}  // namespace

TEST_CASE("the Teams manifest has every field Teams requires", "[deploy][teams-manifest]") {
  const json m = manifest();
  for (const char* key : {"$schema", "manifestVersion", "version", "id", "developer", "name",
                          "description", "icons", "accentColor", "bots"}) {
    INFO(key);
    CHECK(m.contains(key));
  }
  CHECK(std::regex_match(m.at("id").get<std::string>(), kGuid));
  CHECK(std::regex_match(m.at("version").get<std::string>(), std::regex(R"(\d+\.\d+\.\d+)")));
  CHECK(m.at("$schema").get<std::string>().find(m.at("manifestVersion").get<std::string>()) !=
        std::string::npos);
  CHECK(std::regex_match(m.at("accentColor").get<std::string>(), std::regex("#[0-9A-Fa-f]{6}")));
  for (const char* url : {"websiteUrl", "privacyUrl", "termsOfUseUrl"}) {
    INFO(url);
    CHECK(m.at("developer").at(url).get<std::string>().starts_with("https://"));
  }
  CHECK_FALSE(m.at("developer").at("name").get<std::string>().empty());
  // Length limits of the v1.17 schema, which Teams enforces on upload.
  CHECK(m.at("developer").at("name").get<std::string>().size() <= 32);
  CHECK(m.at("name").at("short") != m.at("name").at("full"));  // Teams wants them different
  CHECK(m.at("name").at("short").get<std::string>().size() <= 30);
  CHECK(m.at("name").at("full").get<std::string>().size() <= 100);
  CHECK(m.at("description").at("short").get<std::string>().size() <= 80);
  CHECK(m.at("description").at("full").get<std::string>().size() <= 4000);
}

TEST_CASE("the Teams icons are PNGs of the sizes the manifest promises",
          "[deploy][teams-manifest]") {
  const json m = manifest();
  const auto color = png_size(kTeams / m.at("icons").at("color").get<std::string>());
  const auto outline = png_size(kTeams / m.at("icons").at("outline").get<std::string>());
  REQUIRE(color.has_value());
  REQUIRE(outline.has_value());
  CHECK((color->width == 192 && color->height == 192));
  CHECK((outline->width == 32 && outline->height == 32));
}

TEST_CASE("the Teams bot is offered personally and in teams with short command lists",
          "[deploy][teams-manifest]") {
  const json m = manifest();
  REQUIRE(m.at("bots").size() == 1);  // Teams allows one bot per app
  const json& bot = m.at("bots").at(0);
  CHECK(bot.at("botId") == "YOUR-MICROSOFT-APP-ID");  // filled in by package.sh
  const auto scopes = bot.at("scopes").get<std::set<std::string>>();
  CHECK(scopes.count("personal") == 1);
  CHECK(scopes.count("team") == 1);
  const json& lists = bot.at("commandLists");
  CHECK(lists.size() <= 3);
  std::set<std::string> listed_scopes;
  for (const json& list : lists) {
    for (const auto& scope : list.at("scopes")) {
      INFO("a command list for a scope the bot is not offered in: " << scope);
      CHECK(scopes.count(scope.get<std::string>()) == 1);
      CHECK(listed_scopes.insert(scope.get<std::string>()).second);  // one list per scope
    }
    CHECK(list.at("commands").size() <= 10);
    std::set<std::string> titles;
    for (const json& command : list.at("commands")) {
      const auto title = command.at("title").get<std::string>();
      INFO(title);
      CHECK(titles.insert(title).second);
      CHECK(title.size() <= 32);
      CHECK(command.at("description").get<std::string>().size() <= 128);
    }
  }
}

TEST_CASE("package.sh zips the manifest with the bot id and host filled in and both icons",
          "[deploy][teams-manifest]") {
  TempDir dir;
  const fs::path zip = dir / "out" / "teams.zip";
  const std::string bot_id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  std::string err;
  REQUIRE(run_package({{"TEAMS_APP_ID", bot_id}, {"TEAMS_HOST", "okr.example.com"}}, zip, err) ==
          0);
  REQUIRE(fs::exists(zip));

  // Unpack with the same tool that packed it, then read what Teams would read.
  ProcessOptions unzip;
  unzip.args = {"-c", "cd \"$1\" && python3 -m zipfile -e \"$2\" unpacked && ls unpacked", "sh",
                dir.path().string(), zip.string()};
  unzip.inherit_env = true;
  Process lister("/bin/sh", unzip);
  REQUIRE(lister.wait_exit() == 0);
  CHECK(lister.out() == "color.png\nmanifest.json\noutline.png\n");  // at the zip's root

  const std::string text = read_file(dir / "unpacked" / "manifest.json");
  CHECK(text.find("YOUR-") == std::string::npos);
  const json packed = json::parse(text);
  CHECK(packed.at("bots").at(0).at("botId") == bot_id);
  CHECK(packed.at("validDomains") == json::array({"okr.example.com"}));
  CHECK(packed.at("developer").at("websiteUrl") == "https://okr.example.com/");
  CHECK(read_file(dir / "unpacked" / "color.png") == read_file(kTeams / "color.png"));
}

TEST_CASE("package.sh refuses to build without a GUID app id and says what to set",
          "[deploy][teams-manifest]") {
  TempDir dir;
  const fs::path zip = dir / "teams.zip";
  std::string err;
  CHECK(run_package({{"TEAMS_HOST", "okr.example.com"}}, zip, err) == 2);
  CHECK_THAT(err, Catch::Contains("TEAMS_APP_ID"));
  CHECK(run_package({{"TEAMS_APP_ID", "not-a-guid"}, {"TEAMS_HOST", "okr.example.com"}}, zip,
                    err) == 2);
  CHECK_THAT(err, Catch::Contains("GUID"));
  CHECK(run_package({{"TEAMS_APP_ID", "0f8fad5b-d9cb-469f-a165-70867728950e"},
                     {"TEAMS_HOST", "https://okr.example.com/x"}},
                    zip, err) == 2);
  CHECK_THAT(err, Catch::Contains("TEAMS_HOST"));
  CHECK_FALSE(fs::exists(zip));
}
