#include "config/load.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "config/fields.hpp"

namespace fs = std::filesystem;
using namespace okr::config;

namespace {

// A config file in its own temporary directory (tests run in parallel), removed afterwards.
class TempConfigFile {
 public:
  explicit TempConfigFile(const std::string& content) {
    std::string pattern = (fs::temp_directory_path() / "okr-config-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    dir_ = pattern;
    std::ofstream(path()) << content;
  }
  ~TempConfigFile() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  TempConfigFile(const TempConfigFile&) = delete;
  TempConfigFile& operator=(const TempConfigFile&) = delete;
  std::string path() const { return (dir_ / "okr-coach.json").string(); }

 private:
  fs::path dir_;
};

std::string all_problems(const LoadResult& result) {
  std::string out;
  for (const auto& p : result.problems) {
    out += p.field + ": " + p.message + "\n";
  }
  return out;
}

bool has_problem_for(const LoadResult& result, const std::string& field) {
  for (const auto& p : result.problems) {
    if (p.field == field) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("with no sources the embedded defaults apply", "[config]") {
  const auto result = load({});
  REQUIRE(result.ok());
  CHECK(result.config.listen_host == "127.0.0.1");
  CHECK(result.config.listen_port == 8080);
  CHECK(result.config.db_path == "./data/okr-coach.db");
  CHECK(result.config.log_level == LogLevel::info);
  CHECK(result.config.log_format == LogFormat::text);
  CHECK(result.config.threads >= 1);
  CHECK(result.config.threads <= 256);
  CHECK(result.config.http.max_body_bytes == 1024 * 1024);
  CHECK(result.config.slack_api_url == "https://slack.com/api/");
}

TEST_CASE("flags beat environment, which beats the file, which beats defaults", "[config]") {
  TempConfigFile file(R"({
    "server": {"listen": "127.0.0.1:1001", "threads": 3, "max_connections": 33},
    "database": {"path": "/file.db"},
    "log": {"level": "debug", "format": "json"}
  })");
  Sources sources;
  sources.config_file = file.path();
  sources.environment = {{"OKR_COACH_LISTEN", "127.0.0.1:2002"},
                         {"OKR_COACH_DB", "/env.db"},
                         {"OKR_COACH_THREADS", "5"}};
  sources.flags = {{"OKR_COACH_LISTEN", "127.0.0.1:3003"}};

  const auto result = load(sources);
  REQUIRE(all_problems(result).empty());
  CHECK(result.config.listen_port == 3003);           // flag over env over file
  CHECK(result.config.db_path == "/env.db");          // env over file
  CHECK(result.config.threads == 5);                  // env over file
  CHECK(result.config.log_level == LogLevel::debug);  // file over default
  CHECK(result.config.log_format == LogFormat::json);
  CHECK(result.config.http.max_connections == 33);
  CHECK(result.config.dialog_idle_days == 7);  // default, nobody set it
}

TEST_CASE("an empty environment variable counts as unset", "[config]") {
  Sources sources;
  sources.environment = {{"OKR_COACH_THREADS", ""}, {"OKR_COACH_DB", ""}};
  const auto result = load(sources);
  REQUIRE(result.ok());
  CHECK(result.config.db_path == "./data/okr-coach.db");
}

TEST_CASE("listen accepts host:port, port 0 and bracketed IPv6", "[config]") {
  Sources sources;
  SECTION("port 0 means any free port") {
    sources.environment = {{"OKR_COACH_LISTEN", "0.0.0.0:0"}};
    const auto result = load(sources);
    REQUIRE(result.ok());
    CHECK(result.config.listen_host == "0.0.0.0");
    CHECK(result.config.listen_port == 0);
  }
  SECTION("IPv6 in brackets") {
    sources.environment = {{"OKR_COACH_LISTEN", "[::1]:8443"}};
    const auto result = load(sources);
    REQUIRE(result.ok());
    CHECK(result.config.listen_host == "::1");
    CHECK(result.config.listen_port == 8443);
    CHECK_THAT(to_redacted_json(result.config), Catch::Contains("\"[::1]:8443\""));
  }
  SECTION("highest port") {
    sources.environment = {{"OKR_COACH_LISTEN", "localhost:65535"}};
    const auto result = load(sources);
    REQUIRE(result.ok());
    CHECK(result.config.listen_port == 65535);
  }
}

TEST_CASE("malformed listen addresses are problems of OKR_COACH_LISTEN", "[config]") {
  const std::string value =
      GENERATE(as<std::string>{}, "127.0.0.1", "127.0.0.1:65536", "127.0.0.1:-1", ":8080",
               "::1:8080", "[::1]8080", "host:80x", "127.0.0.1:");
  Sources sources;
  sources.environment = {{"OKR_COACH_LISTEN", value}};
  const auto result = load(sources);
  INFO(value);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].field == "OKR_COACH_LISTEN");
}

TEST_CASE("every invalid value is reported under the field's env name", "[config]") {
  const auto [field, value] = GENERATE(table<std::string, std::string>({
      {"OKR_COACH_LISTEN", "nonsense"},
      {"OKR_COACH_DB", ""},
      {"OKR_COACH_LOG_LEVEL", "verbose"},
      {"OKR_COACH_LOG_FORMAT", "xml"},
      {"OKR_COACH_THREADS", "0"},
      {"OKR_COACH_THREADS", "257"},
      {"OKR_COACH_THREADS", "four"},
      {"OKR_COACH_MAX_BODY_BYTES", "0"},
      {"OKR_COACH_MAX_BODY_BYTES", "1.5"},
      {"OKR_COACH_READ_TIMEOUT_MS", "-5"},
      {"OKR_COACH_MAX_CONNECTIONS", "99999999999999999999999"},
      {"OKR_COACH_DIALOGS_DIR", ""},
      {"OKR_COACH_DIALOG_IDLE_DAYS", "366"},
      {"SLACK_SIGNING_SECRET", "has space"},
      {"SLACK_BOT_TOKEN", "xoxb-1\n"},
      {"SLACK_API_URL", "ftp://slack.com/api/"},
  }));
  Sources sources;
  sources.flags = {{field, value}};  // flags, because an empty env value would count as unset
  const auto result = load(sources);
  INFO(field << "=" << value);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].field == field);
  CHECK_THAT(result.problems[0].message, Catch::Contains("flag"));
}

TEST_CASE("every problem is reported, not only the first", "[config]") {
  TempConfigFile file(R"({"log": {"format": "yaml"}})");
  Sources sources;
  sources.config_file = file.path();
  sources.environment = {{"OKR_COACH_LISTEN", "nowhere"}, {"OKR_COACH_THREADS", "0"}};
  sources.flags = {{"OKR_COACH_LOG_LEVEL", "loud"}};
  const auto result = load(sources);
  CHECK(result.problems.size() == 4);
  CHECK(has_problem_for(result, "OKR_COACH_LISTEN"));
  CHECK(has_problem_for(result, "OKR_COACH_THREADS"));
  CHECK(has_problem_for(result, "OKR_COACH_LOG_LEVEL"));
  CHECK(has_problem_for(result, "OKR_COACH_LOG_FORMAT"));
  CHECK_THAT(all_problems(result), Catch::Contains(file.path()));
}

TEST_CASE("a problem says which source the bad value came from", "[config]") {
  Sources sources;
  sources.environment = {{"OKR_COACH_LOG_LEVEL", "loud"}};
  sources.flags = {{"OKR_COACH_THREADS", "zero"}};
  const auto problems = all_problems(load(sources));
  CHECK_THAT(problems, Catch::Contains("OKR_COACH_LOG_LEVEL: must be one of debug|info|warn|error, "
                                       "got \"loud\" (from environment)"));
  CHECK_THAT(problems, Catch::Contains("(from flag --threads)"));
}

TEST_CASE("a malformed secret is reported without its value", "[config]") {
  const std::string secret = "s3cr3t-value-with-newline\n";
  Sources sources;
  sources.environment = {{"SLACK_SIGNING_SECRET", secret}, {"SLACK_BOT_TOKEN", "xoxb 7777"}};
  const auto result = load(sources);
  const auto problems = all_problems(result);
  CHECK(has_problem_for(result, "SLACK_SIGNING_SECRET"));
  CHECK(has_problem_for(result, "SLACK_BOT_TOKEN"));
  CHECK_THAT(problems, !Catch::Contains("s3cr3t"));
  CHECK_THAT(problems, !Catch::Contains("7777"));
}

TEST_CASE("a secret near a JSON syntax error is not quoted in the problem", "[config]") {
  TempConfigFile file("{\n  \"slack\": {\"bot_token\": \"xoxb-do-not-print\" oops}\n}\n");
  Sources sources;
  sources.config_file = file.path();
  const auto problems = all_problems(load(sources));
  CHECK_THAT(problems, Catch::Contains(file.path()));
  CHECK_THAT(problems, Catch::Contains("line 2"));
  CHECK_THAT(problems, !Catch::Contains("do-not-print"));
}

TEST_CASE("the redacted configuration never shows a secret", "[config]") {
  Sources sources;
  sources.environment = {{"SLACK_SIGNING_SECRET", "8f742231b10e8888abcd99yyyzzz85a5"},
                         {"SLACK_BOT_TOKEN", "xoxb-123-456-abcdef"}};
  const auto result = load(sources);
  REQUIRE(result.ok());
  CHECK(result.config.slack_bot_token == "xoxb-123-456-abcdef");
  const std::string json = to_redacted_json(result.config);
  CHECK_THAT(json, !Catch::Contains("8f742231"));
  CHECK_THAT(json, !Catch::Contains("xoxb-123"));
  CHECK_THAT(json, Catch::Contains("\"signing_secret\": \"***\""));
  CHECK_THAT(json, Catch::Contains("\"bot_token\": \"***\""));
}

TEST_CASE("an unset secret shows as empty so the operator sees it is missing", "[config]") {
  const std::string json = to_redacted_json(load({}).config);
  CHECK_THAT(json, Catch::Contains("\"signing_secret\": \"\""));
  CHECK_THAT(json, Catch::Contains("\"bot_token\": \"\""));
}

TEST_CASE("the redacted output of a secret-free config loads back as the same config", "[config]") {
  Sources sources;
  sources.environment = {{"OKR_COACH_LISTEN", "[::1]:0"}, {"OKR_COACH_LOG_FORMAT", "json"}};
  const std::string first = to_redacted_json(load(sources).config);
  TempConfigFile file(first);
  Sources again;
  again.config_file = file.path();
  const auto reloaded = load(again);
  REQUIRE(all_problems(reloaded).empty());
  CHECK(to_redacted_json(reloaded.config) == first);
}

TEST_CASE("unknown keys in the config file are problems that name the key", "[config]") {
  TempConfigFile file(R"({"server": {"lisen": "127.0.0.1:1"}, "databse": {"path": "x"}})");
  Sources sources;
  sources.config_file = file.path();
  const auto result = load(sources);
  CHECK(has_problem_for(result, "server.lisen"));
  CHECK(has_problem_for(result, "databse"));
  CHECK_THAT(all_problems(result), Catch::Contains("listen"));  // the known keys are suggested
}

TEST_CASE("config file values must be strings or numbers", "[config]") {
  TempConfigFile file(R"({"server": {"threads": true, "max_body_bytes": 2048}})");
  Sources sources;
  sources.config_file = file.path();
  const auto result = load(sources);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].field == "OKR_COACH_THREADS");
  CHECK(result.config.http.max_body_bytes == 2048);
}

TEST_CASE("an unreadable config file is a problem naming the file", "[config]") {
  Sources sources;
  sources.config_file = "/nonexistent/dir/okr-coach.json";
  const auto result = load(sources);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].field == "--config");
  CHECK_THAT(result.problems[0].message, Catch::Contains("/nonexistent/dir/okr-coach.json"));
}

TEST_CASE("a config file that is not a JSON object is a problem", "[config]") {
  TempConfigFile file("[1, 2, 3]");
  Sources sources;
  sources.config_file = file.path();
  CHECK_FALSE(load(sources).ok());
}

TEST_CASE("an unknown flag key is reported", "[config]") {
  Sources sources;
  sources.flags = {{"OKR_COACH_NOPE", "1"}};
  CHECK(has_problem_for(load(sources), "OKR_COACH_NOPE"));
}

TEST_CASE("the Slack API URL gets a trailing slash", "[config]") {
  Sources sources;
  sources.environment = {{"SLACK_API_URL", "http://127.0.0.1:9999/api"}};
  CHECK(load(sources).config.slack_api_url == "http://127.0.0.1:9999/api/");
}

TEST_CASE("the field table is consistent: unique names, a section, a doc line", "[config]") {
  std::set<std::string_view> envs;
  std::set<std::string_view> keys;
  for (const Field& field : fields()) {
    INFO(field.env);
    CHECK(envs.insert(field.env).second);
    CHECK(keys.insert(field.json_key).second);
    CHECK(field.json_key.find('.') != std::string_view::npos);
    CHECK_FALSE(field.doc.empty());
    CHECK(find_field(field.env) == &field);
  }
  CHECK(find_field("OKR_COACH_NOPE") == nullptr);
}

TEST_CASE("read_environment keeps only our variables", "[config]") {
  setenv("OKR_COACH_UNIT_TEST_MARKER", "1", 1);
  setenv("UNRELATED_UNIT_TEST_MARKER", "1", 1);
  const auto env = read_environment();
  CHECK(env.count("OKR_COACH_UNIT_TEST_MARKER") == 1);
  CHECK(env.count("UNRELATED_UNIT_TEST_MARKER") == 0);
  unsetenv("OKR_COACH_UNIT_TEST_MARKER");
  unsetenv("UNRELATED_UNIT_TEST_MARKER");
}

TEST_CASE("the example config file sets every key and loads without problems", "[config]") {
  Sources sources;
  sources.config_file = std::string(OKR_SOURCE_DIR) + "/config/okr-coach.example.json";
  const auto result = load(sources);
  REQUIRE(all_problems(result).empty());
  std::ifstream in(*sources.config_file);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  for (const Field& field : fields()) {
    const auto key = field.json_key.substr(field.json_key.find('.') + 1);
    INFO(field.json_key);
    CHECK_THAT(text, Catch::Contains("\"" + std::string(key) + "\":"));
  }
}

TEST_CASE("the configuration reference documents every setting", "[config]") {
  std::ifstream in(std::string(OKR_SOURCE_DIR) + "/docs/configuration.md");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  REQUIRE_FALSE(text.empty());
  for (const Field& field : fields()) {
    INFO(field.env);
    CHECK_THAT(text, Catch::Contains("`" + std::string(field.env) + "`"));
    CHECK_THAT(text, Catch::Contains("`" + std::string(field.json_key) + "`"));
  }
}
