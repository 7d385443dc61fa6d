#include <filesystem>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/shipped_dialogs.hpp"

TEST_CASE("the binary carries every dialog file of config/dialogs, each under its own name") {
  const auto& shipped = okr::config::shipped_dialogs();
  std::size_t files = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(OKR_SOURCE_DIR) + "/config/dialogs")) {
    if (entry.path().extension() == ".json")
      ++files;
  }
  CHECK(shipped.size() == files);
  for (const char* name : {"draft", "checkin", "reflect", "setup"}) {
    INFO(name);
    REQUIRE(shipped.count(name) == 1);
    const auto parsed = nlohmann::json::parse(shipped.at(name));
    CHECK(parsed.at("name") == name);
  }
}
