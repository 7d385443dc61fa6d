// deploy/slack/manifest.yaml asks a workspace admin for exactly the bot scopes the code needs:
// the scopes are derived here from the Web API methods named in bot/slack/*.cpp and from the
// events and the slash command the manifest subscribes to. A missing scope breaks a feature in
// production; an extra one asks people for access we do not use. Either fails with its name.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kSource{OKR_SOURCE_DIR};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Slack Web API method -> the bot scopes it needs, space-separated ("" when none). From the
// method pages as summarised in platforms.md §5 and §9. conversations.members needs
// channels:read for public channels and groups:read for private ones; team setup works in both. A method the code calls that is missing here fails the
// test, so a new call cannot slip in without deciding its scope.
const std::map<std::string, std::string> kMethodScopes{
    {"auth.test", ""},
    {"chat.postMessage", "chat:write"},
    {"chat.postEphemeral", "chat:write"},
    {"chat.update", "chat:write"},
    {"chat.delete", "chat:write"},
    {"conversations.open", "im:write"},
    {"conversations.members", "channels:read groups:read"},
    // Only ever on the coach's own DMs (was a message already posted?): im:history covers it.
    {"conversations.history", "im:history"},
    {"users.info", "users:read"},
    {"views.open", ""},
    {"views.publish", ""},
    {"views.update", ""},
    {"views.push", ""},
};

// Event subscription -> the scope that delivers it.
const std::map<std::string, std::string> kEventScopes{
    {"message.im", "im:history"},
    {"app_mention", "app_mentions:read"},
    {"app_home_opened", ""},
    {"app_uninstalled", ""},
    {"tokens_revoked", ""},
};

// Families of Slack Web API method names. A string literal "family.method" in bot/slack is
// taken as a Web API call only for these, so JSON keys and file names are not mistaken for one.
const std::set<std::string> kMethodFamilies{
    "admin",      "api",           "apps",      "auth",     "bookmarks", "bots",  "calls",
    "chat",       "conversations", "dialog",    "dnd",      "emoji",     "files", "oauth",
    "pins",       "reactions",     "reminders", "rtm",      "search",    "stars", "team",
    "usergroups", "users",         "views",     "workflows"};

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) {
    return "";
  }
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

std::string unquote(std::string text) {
  text = trim(text);
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
      text.back() == text.front()) {
    return text.substr(1, text.size() - 2);
  }
  return text;
}

struct YamlLine {
  std::size_t indent;
  std::string text;  // without indentation and comment
};

// Just enough YAML for a manifest: indentation, "key:", "key: value", "- item", "[a, b]", and
// comments. Not a general parser.
std::vector<YamlLine> yaml_lines(const std::string& yaml) {
  std::vector<YamlLine> lines;
  std::istringstream in(yaml);
  for (std::string line; std::getline(in, line);) {
    // A comment starts at '#' at the line start or after a space, outside quotes.
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '"') {
        quoted = !quoted;
      } else if (line[i] == '#' && !quoted && (i == 0 || line[i - 1] == ' ')) {
        line.erase(i);
        break;
      }
    }
    const std::string text = trim(line);
    if (!text.empty()) {
      lines.push_back({line.find_first_not_of(' '), text});
    }
  }
  return lines;
}

// The scalar list at a key path such as {"oauth_config", "scopes", "bot"}; nullopt when a key
// of the path is missing.
std::optional<std::vector<std::string>> yaml_list(const std::string& yaml,
                                                  const std::vector<std::string>& path) {
  const auto lines = yaml_lines(yaml);
  std::size_t at = 0;
  std::optional<std::size_t> parent_indent;
  for (std::size_t depth = 0; depth < path.size(); ++depth) {
    bool found = false;
    for (; at < lines.size(); ++at) {
      if (parent_indent && depth > 0 && lines[at].indent <= *parent_indent) {
        return std::nullopt;  // left the parent's block without finding the key
      }
      if (lines[at].text.rfind(path[depth] + ":", 0) == 0) {
        found = true;
        break;
      }
    }
    if (!found) {
      return std::nullopt;
    }
    parent_indent = lines[at].indent;
    if (depth + 1 < path.size()) {
      ++at;
    }
  }
  std::vector<std::string> items;
  const std::string rest = trim(lines[at].text.substr(path.back().size() + 1));
  if (!rest.empty()) {  // inline [a, b, c]
    if (rest.front() != '[' || rest.back() != ']') {
      return std::nullopt;
    }
    std::istringstream inline_items(rest.substr(1, rest.size() - 2));
    for (std::string item; std::getline(inline_items, item, ',');) {
      if (!trim(item).empty()) {
        items.push_back(unquote(item));
      }
    }
    return items;
  }
  for (++at; at < lines.size(); ++at) {
    const bool item = lines[at].text.rfind("- ", 0) == 0;
    if (!item || lines[at].indent < *parent_indent) {
      break;
    }
    items.push_back(unquote(lines[at].text.substr(2)));
  }
  return items;
}

// Every "family.method" string literal in bot/slack/*.cpp.
std::set<std::string> methods_called_in_bot_slack() {
  const std::regex literal(R"re("([a-z]+)\.([a-zA-Z]+)")re");
  std::set<std::string> methods;
  for (const auto& entry : fs::directory_iterator(kSource / "bot" / "slack")) {
    if (entry.path().extension() != ".cpp") {
      continue;
    }
    const std::string text = read_file(entry.path());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), literal);
         it != std::sregex_iterator(); ++it) {
      if (kMethodFamilies.count((*it)[1].str()) != 0) {
        methods.insert((*it)[1].str() + "." + (*it)[2].str());
      }
    }
  }
  return methods;
}

std::string manifest_text() {
  return read_file(kSource / "deploy" / "slack" / "manifest.yaml");
}

}  // namespace

TEST_CASE("the tiny YAML reader finds block and inline lists and stops at the block's end",
          "[deploy][slack-manifest]") {
  const std::string yaml =
      "a:\n"
      "  b:\n"
      "    - one   # why\n"
      "    - \"two\"\n"
      "  c: [x, 'y']\n"
      "d:\n"
      "  - z\n";
  CHECK(yaml_list(yaml, {"a", "b"}) == std::vector<std::string>{"one", "two"});
  CHECK(yaml_list(yaml, {"a", "c"}) == std::vector<std::string>{"x", "y"});
  CHECK(yaml_list(yaml, {"d"}) == std::vector<std::string>{"z"});
  CHECK_FALSE(yaml_list(yaml, {"a", "z"}).has_value());
  CHECK_FALSE(yaml_list(yaml, {"d", "b"}).has_value());
}

TEST_CASE("the code calls Slack Web API methods whose scopes are known",
          "[deploy][slack-manifest]") {
  const auto methods = methods_called_in_bot_slack();
  // The scan must find the calls it exists for, or it proves nothing.
  CHECK(methods.count("chat.postMessage") == 1);
  for (const std::string& method : methods) {
    INFO("bot/slack calls " << method
                            << ": add it with its bot scope to kMethodScopes in this test and, "
                               "if it needs one, to deploy/slack/manifest.yaml");
    CHECK(kMethodScopes.count(method) == 1);
  }
}

TEST_CASE("the Slack manifest asks for exactly the bot scopes the code needs",
          "[deploy][slack-manifest]") {
  const std::string manifest = manifest_text();
  const auto granted = yaml_list(manifest, {"oauth_config", "scopes", "bot"});
  REQUIRE(granted.has_value());
  const auto events = yaml_list(manifest, {"settings", "event_subscriptions", "bot_events"});
  REQUIRE(events.has_value());

  std::map<std::string, std::string> needed;  // scope -> why
  for (const std::string& method : methods_called_in_bot_slack()) {
    const auto row = kMethodScopes.find(method);
    if (row == kMethodScopes.end()) {
      continue;
    }
    std::istringstream scopes(row->second);
    for (std::string scope; scopes >> scope;) {
      needed.emplace(scope, "the Web API method " + method);
    }
  }
  for (const std::string& event : *events) {
    const auto row = kEventScopes.find(event);
    INFO("event " << event << " has no known scope: add it to kEventScopes");
    REQUIRE(row != kEventScopes.end());
    if (!row->second.empty()) {
      needed.emplace(row->second, "the event " + event);
    }
  }
  if (yaml_list(manifest, {"features", "slash_commands"}).has_value() ||
      manifest.find("- command: /okr") != std::string::npos) {
    needed.emplace("commands", "the /okr slash command");
  }

  const std::set<std::string> granted_set(granted->begin(), granted->end());
  CHECK(granted_set.size() == granted->size());  // no scope listed twice
  for (const auto& [scope, why] : needed) {
    INFO("missing bot scope " << scope << " (needed by " << why << ")");
    CHECK(granted_set.count(scope) == 1);
  }
  for (const std::string& scope : granted_set) {
    INFO("extra bot scope " << scope << ": nothing in bot/slack or the subscriptions needs it");
    CHECK(needed.count(scope) == 1);
  }
}

TEST_CASE("the Slack manifest subscribes to the events the code handles and points at our routes",
          "[deploy][slack-manifest]") {
  const std::string manifest = manifest_text();
  const auto events = yaml_list(manifest, {"settings", "event_subscriptions", "bot_events"});
  REQUIRE(events.has_value());
  CHECK(std::set<std::string>(events->begin(), events->end()) ==
        std::set<std::string>{"message.im", "app_mention", "app_home_opened", "app_uninstalled",
                              "tokens_revoked"});

  // Each subscribed event type is one the events parser knows.
  const std::string parser = read_file(kSource / "bot" / "slack" / "events.cpp");
  for (const std::string type :
       {"app_mention", "app_home_opened", "app_uninstalled", "tokens_revoked"}) {
    INFO(type);
    CHECK(parser.find('"' + type + '"') != std::string::npos);
  }

  const std::string routes = read_file(kSource / "bot" / "slack" / "slack_routes.cpp");
  for (const std::string path : {"/slack/events", "/slack/commands", "/slack/interactive"}) {
    INFO(path);
    CHECK(manifest.find("https://YOUR-HOST" + path + "\n") != std::string::npos);
    CHECK(routes.find('"' + path + '"') != std::string::npos);
  }
  CHECK(manifest.find("- command: /okr") != std::string::npos);
  CHECK(manifest.find("messages_tab_enabled: true") != std::string::npos);
  CHECK(manifest.find("home_tab_enabled: true") != std::string::npos);
  // Interactivity is on (buttons, the edit modal).
  CHECK(manifest.find("interactivity:\n    is_enabled: true") != std::string::npos);
}
