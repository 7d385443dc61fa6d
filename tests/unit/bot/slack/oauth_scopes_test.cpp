// The install asks for exactly the bot scopes the manifest grants (which the manifest test
// derives from the code).
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "bot/slack/oauth_scopes.hpp"

namespace {

// The items of oauth_config.scopes.bot in the manifest: the "- x" lines after "bot:" that are
// indented deeper than it.
std::set<std::string> manifest_bot_scopes() {
  std::ifstream in(std::string(OKR_SOURCE_DIR) + "/deploy/slack/manifest.yaml");
  REQUIRE(in);
  std::set<std::string> scopes;
  std::string line;
  bool in_scopes = false;
  bool in_bot = false;
  std::size_t bot_indent = 0;
  while (std::getline(in, line)) {
    const auto indent = line.find_first_not_of(' ');
    if (indent == std::string::npos)
      continue;
    const std::string text = line.substr(indent);
    if (text.starts_with("#"))
      continue;
    if (in_bot) {
      if (indent > bot_indent && text.starts_with("- ")) {
        scopes.insert(text.substr(2));
        continue;
      }
      break;
    }
    if (text == "scopes:")
      in_scopes = true;
    else if (in_scopes && text == "bot:") {
      in_bot = true;
      bot_indent = indent;
    }
  }
  return scopes;
}

}  // namespace

TEST_CASE("the install asks for exactly the bot scopes of the Slack manifest", "[slack][oauth]") {
  const auto manifest = manifest_bot_scopes();
  REQUIRE(!manifest.empty());
  const std::set<std::string> asked(okr::bot::slack::kBotScopes.begin(),
                                    okr::bot::slack::kBotScopes.end());
  CHECK(asked == manifest);
}
