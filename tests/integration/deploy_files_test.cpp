// deploy/: what can be checked without Docker, systemd as PID 1 or a Kubernetes cluster, none of
// which run on the build machines. The entrypoint runs for real (with a fake binary, and with
// the real server for the health check); the Dockerfile's runtime packages are checked against
// the libraries the built binary links; the unit file goes through systemd-analyze and the
// Kubernetes files through kubectl kustomize when those tools exist (otherwise: a warning).
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "config/fields.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using okr::test::Process;
using okr::test::ProcessOptions;
using okr::test::TempDir;

namespace {

namespace fs = std::filesystem;

const fs::path kDeploy = fs::path(OKR_SOURCE_DIR) / "deploy";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

struct Run {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs `program` with `args`, only PATH and HOME from this process plus `env`.
Run run(const std::string& program, const std::vector<std::string>& args,
        const std::map<std::string, std::string>& env = {}) {
  ProcessOptions options;
  options.args = args;
  for (const char* name : {"PATH", "HOME"}) {
    if (const char* value = std::getenv(name)) {
      options.env[name] = value;
    }
  }
  for (const auto& [name, value] : env) {
    options.env[name] = value;
  }
  Process process(program, options);
  const auto code = process.wait_exit();
  REQUIRE(code.has_value());
  return {*code, process.out(), process.err()};
}

// The full path of a tool on PATH, or nullopt.
std::optional<std::string> tool(const std::string& name) {
  const Run found = run("/bin/sh", {"-c", "command -v \"$1\"", "sh", name});
  if (found.code != 0 || found.out.empty()) {
    return std::nullopt;
  }
  return found.out.substr(0, found.out.find('\n'));
}

std::string entrypoint() {
  return (kDeploy / "entrypoint.sh").string();
}

// A stand-in for okr-coach that prints how it was called.
fs::path fake_binary(const TempDir& dir) {
  const fs::path path = dir / "okr-coach";
  write_file(path,
             "#!/bin/sh\n"
             "printf 'args:%s\\n' \"$*\"\n"
             "printf 'SLACK_BOT_TOKEN=%s\\n' \"${SLACK_BOT_TOKEN-unset}\"\n"
             "printf 'SLACK_BOT_TOKEN_FILE=%s\\n' \"${SLACK_BOT_TOKEN_FILE-unset}\"\n");
  fs::permissions(path, fs::perms::owner_all);
  return path;
}

// The value of the first "Key=" line of a unit file, or empty.
std::vector<std::string> directive(const std::string& unit, const std::string& key) {
  std::vector<std::string> values;
  std::istringstream in(unit);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key + "=", 0) == 0) {
      values.push_back(line.substr(key.size() + 1));
    }
  }
  return values;
}

}  // namespace

// ---------------------------------------------------------------- entrypoint.sh

TEST_CASE("entrypoint.sh is valid bash and passes shellcheck when it is installed",
          "[deploy][entrypoint]") {
  const Run syntax = run("/bin/bash", {"-n", entrypoint()});
  INFO(syntax.err);
  CHECK(syntax.code == 0);
  if (const auto shellcheck = tool("shellcheck")) {
    const Run lint = run(*shellcheck, {entrypoint(), (kDeploy / "teams" / "package.sh").string()});
    INFO(lint.out);
    CHECK(lint.code == 0);
  } else {
    WARN("shellcheck is not installed: only bash -n was checked");
  }
}

TEST_CASE("entrypoint.sh runs serve by default and passes a subcommand through",
          "[deploy][entrypoint]") {
  TempDir dir;
  const std::map<std::string, std::string> env{{"OKR_COACH_BIN", fake_binary(dir).string()},
                                               {"OKR_COACH_DB", (dir / "okr.db").string()}};
  CHECK(run(entrypoint(), {}, env).out.starts_with("args:serve\n"));
  CHECK(run(entrypoint(), {"--log-level", "debug"}, env)
            .out.starts_with("args:serve --log-level debug\n"));
  CHECK(run(entrypoint(), {"migrate"}, env).out.starts_with("args:migrate\n"));
  CHECK(run(entrypoint(), {"check-config", "--db", "/x.db"}, env)
            .out.starts_with("args:check-config --db /x.db\n"));
}

TEST_CASE("entrypoint.sh reads a secret from NAME_FILE without its trailing newline",
          "[deploy][entrypoint]") {
  TempDir dir;
  const std::string token = "xoxb-4242-secret-from-file";
  write_file(dir / "token", token + "\n");
  const Run r = run(entrypoint(), {"serve"},
                    {{"OKR_COACH_BIN", fake_binary(dir).string()},
                     {"OKR_COACH_DB", (dir / "okr.db").string()},
                     {"SLACK_BOT_TOKEN_FILE", (dir / "token").string()}});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("SLACK_BOT_TOKEN=" + token + "\n"));
  CHECK_THAT(r.out, Catch::Contains("SLACK_BOT_TOKEN_FILE=unset\n"));
  CHECK(r.err.empty());
}

TEST_CASE("entrypoint.sh refuses a secret given twice or an unreadable secret file, quietly",
          "[deploy][entrypoint]") {
  TempDir dir;
  const std::string token = "xoxb-4242-never-echoed";
  write_file(dir / "token", token);
  const auto binary = fake_binary(dir).string();

  const Run twice = run(entrypoint(), {},
                        {{"OKR_COACH_BIN", binary},
                         {"SLACK_BOT_TOKEN", token},
                         {"SLACK_BOT_TOKEN_FILE", (dir / "token").string()}});
  CHECK(twice.code == 2);
  CHECK_THAT(twice.err, Catch::Contains("SLACK_BOT_TOKEN_FILE"));
  CHECK_THAT(twice.err, !Catch::Contains(token));
  CHECK(twice.out.empty());  // the binary never ran

  const Run missing = run(
      entrypoint(), {},
      {{"OKR_COACH_BIN", binary}, {"SLACK_SIGNING_SECRET_FILE", (dir / "no-such-file").string()}});
  CHECK(missing.code == 2);
  CHECK_THAT(missing.err, Catch::Contains("SLACK_SIGNING_SECRET_FILE"));
  CHECK(missing.out.empty());
}

TEST_CASE("entrypoint.sh says so when there is no binary to run", "[deploy][entrypoint]") {
  TempDir dir;
  const Run r = run(entrypoint(), {}, {{"OKR_COACH_BIN", (dir / "absent").string()}});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("no okr-coach binary"));
}

TEST_CASE("entrypoint.sh healthcheck succeeds while serve runs and fails once it stopped",
          "[deploy][entrypoint]") {
  if (!tool("curl")) {
    WARN("curl is not installed: the container health check cannot be exercised here");
    return;
  }
  TempDir dir;
  Process serve(okr::test::okr_coach_binary(),
                okr::test::okr_coach_options({"serve", "--listen", "127.0.0.1:0", "--db",
                                              (dir / "coach.db").string(), "--threads", "1"}));
  const auto line = serve.wait_for_line("listening on http://");
  REQUIRE(line);
  const auto port = okr::test::listening_port(*line);
  REQUIRE(port);
  // As in the image: serve listens on the wildcard address, the check asks loopback.
  const std::map<std::string, std::string> env{
      {"OKR_COACH_LISTEN", "0.0.0.0:" + std::to_string(*port)}};
  const Run healthy = run(entrypoint(), {"healthcheck"}, env);
  INFO(healthy.err);
  CHECK(healthy.code == 0);

  serve.send_signal(SIGTERM);
  REQUIRE(serve.wait_exit() == 0);
  CHECK(run(entrypoint(), {"healthcheck"}, env).code != 0);
}

// ---------------------------------------------------------------- Dockerfile

TEST_CASE("the Dockerfile builds on Debian 12 with install-deps.sh and runs as a non-root user",
          "[deploy][dockerfile]") {
  const std::string dockerfile = read_file(kDeploy / "Dockerfile");
  const std::regex from(R"(^FROM debian:12-slim\b)", std::regex::multiline);
  CHECK(std::distance(std::sregex_iterator(dockerfile.begin(), dockerfile.end(), from),
                      std::sregex_iterator()) == 2);  // build and runtime stages
  CHECK_THAT(dockerfile, Catch::Contains("./deploy/install-deps.sh"));
  CHECK_THAT(dockerfile, Catch::Contains("\nUSER okr\n"));
  CHECK_THAT(dockerfile, Catch::Contains("\nSTOPSIGNAL SIGTERM\n"));
  CHECK_THAT(dockerfile, Catch::Contains("VOLUME [\"/var/lib/okr-coach\"]"));
  CHECK_THAT(dockerfile, Catch::Contains("OKR_COACH_DB=/var/lib/okr-coach/"));
  CHECK_THAT(dockerfile, Catch::Contains("HEALTHCHECK"));
  CHECK_THAT(dockerfile, Catch::Contains("\"healthcheck\"]"));
  // Every file copied from the build context exists in the repository.
  const std::regex copy(R"(^COPY (deploy/\S+))", std::regex::multiline);
  for (auto it = std::sregex_iterator(dockerfile.begin(), dockerfile.end(), copy);
       it != std::sregex_iterator(); ++it) {
    INFO((*it)[1].str());
    CHECK(fs::exists(fs::path(OKR_SOURCE_DIR) / (*it)[1].str()));
  }
}

TEST_CASE("the runtime image installs a package for every shared library okr-coach links",
          "[deploy][dockerfile]") {
  const auto ldd = tool("ldd");
  const auto dpkg = tool("dpkg");
  if (!ldd || !dpkg) {
    WARN("ldd or dpkg is missing: the runtime package list cannot be checked on this machine");
    return;
  }
  const std::string dockerfile = read_file(kDeploy / "Dockerfile");
  const auto runtime_stage = dockerfile.substr(dockerfile.rfind("\nFROM "));

  const Run libraries = run(*ldd, {okr::test::okr_coach_binary()});
  REQUIRE(libraries.code == 0);
  const std::regex resolved(R"(=> (/\S+))");
  // In every Debian image already: the C and C++ runtimes.
  const std::set<std::string> base{"libc6", "libgcc-s1", "libstdc++6"};
  int checked = 0;
  for (auto it = std::sregex_iterator(libraries.out.begin(), libraries.out.end(), resolved);
       it != std::sregex_iterator(); ++it) {
    // dpkg knows a library by the path its package installed, which on a merged-/usr system
    // may be the /lib one, the /usr/lib one, or the symlink's own name.
    const std::string linked = (*it)[1].str();
    const std::string library = fs::canonical(linked).string();
    std::vector<std::string> candidates;
    for (const std::string& path : {linked, library}) {
      candidates.push_back(path);
      candidates.push_back(path.rfind("/usr/", 0) == 0 ? path.substr(4) : "/usr" + path);
    }
    Run owner;
    for (const std::string& candidate : candidates) {
      owner = run(*dpkg, {"-S", candidate});
      if (owner.code == 0) {
        break;
      }
    }
    if (owner.code != 0) {
      WARN(library << " belongs to no Debian package (built locally?): not checked");
      continue;
    }
    const std::string package = owner.out.substr(0, owner.out.find(':'));
    ++checked;
    if (base.count(package) != 0) {
      continue;
    }
    // A sanitizer build (make test-asan/test-tsan) links the sanitizer's runtime; the image is
    // built without one, so that library is not the image's to install.
    if (std::regex_match(package, std::regex("lib(a|ub|t|l)san[0-9]+"))) {
      continue;
    }
    INFO(library << " comes from " << package
                 << ", which the runtime stage of deploy/Dockerfile does not install");
    CHECK(std::regex_search(runtime_stage, std::regex("[ \n]" + package + "[ \n]")));
  }
  CHECK(checked > 3);  // SQLite, OpenSSL, spdlog... were found, so the scan works
}

// ---------------------------------------------------------------- systemd unit

TEST_CASE("the systemd unit is hardened, restarts on failure and keeps secrets in a file",
          "[deploy][systemd]") {
  const std::string unit = read_file(kDeploy / "okr-coach.service");
  const std::map<std::string, std::string> required{
      {"DynamicUser", "yes"},          {"ProtectSystem", "strict"},
      {"StateDirectory", "okr-coach"}, {"NoNewPrivileges", "yes"},
      {"Restart", "on-failure"},       {"EnvironmentFile", "/etc/okr-coach/okr-coach.env"},
      {"KillSignal", "SIGTERM"},       {"ProtectHome", "yes"},
      {"PrivateTmp", "yes"},           {"CapabilityBoundingSet", ""}};
  for (const auto& [key, value] : required) {
    INFO(key);
    CHECK(directive(unit, key) == std::vector<std::string>{value});
  }
  // The database is where the state directory is, or ProtectSystem=strict makes it read-only.
  CHECK_THAT(unit, Catch::Contains("OKR_COACH_DB=/var/lib/okr-coach/"));
  // Secrets never on the command line, where /proc shows them to every user.
  for (const std::string& line : directive(unit, "ExecStart")) {
    CHECK_THAT(line, !Catch::Contains("SLACK_"));
    CHECK_THAT(line, !Catch::Contains("TOKEN"));
  }
}

TEST_CASE("systemd-analyze verify accepts the unit file", "[deploy][systemd]") {
  const auto analyze = tool("systemd-analyze");
  if (!analyze) {
    WARN("systemd-analyze is not installed: the unit file was only checked as text");
    return;
  }
  // Verify a copy that runs the binary under test: the installed path does not exist here,
  // and the environment file is optional here for the same reason.
  TempDir dir;
  std::string unit = read_file(kDeploy / "okr-coach.service");
  unit = std::regex_replace(unit, std::regex("/usr/local/bin/okr-coach"),
                            okr::test::okr_coach_binary());
  unit = std::regex_replace(unit, std::regex("EnvironmentFile=/"), "EnvironmentFile=-/");
  write_file(dir / "okr-coach.service", unit);
  const Run verify = run(*analyze, {"verify", (dir / "okr-coach.service").string()});
  INFO(verify.out << verify.err);
  CHECK(verify.code == 0);
  CHECK_THAT(verify.err, !Catch::Contains("okr-coach.service"));  // no warning about it
}

// ---------------------------------------------------------------- Kubernetes

TEST_CASE("the Kubernetes Deployment runs one replica, recreated, with both probes",
          "[deploy][k8s]") {
  const std::string deployment = read_file(kDeploy / "k8s" / "deployment.yaml");
  CHECK_THAT(deployment, Catch::Contains("\n  replicas: 1\n"));
  CHECK_THAT(deployment, Catch::Contains("strategy:\n    type: Recreate\n"));
  CHECK_THAT(deployment, Catch::Contains("readinessProbe:\n            httpGet:\n              "
                                         "path: /readyz\n"));
  CHECK_THAT(deployment, Catch::Contains("livenessProbe:\n            httpGet:\n              "
                                         "path: /healthz\n"));
  CHECK_THAT(deployment, Catch::Contains("containerPort: 8080"));
  CHECK_THAT(deployment, Catch::Contains("requests:\n              cpu:"));
  CHECK_THAT(deployment, Catch::Contains("limits:\n              cpu:"));
  CHECK_THAT(deployment, Catch::Contains("claimName: okr-coach-data"));
  CHECK_THAT(deployment, Catch::Contains("name: okr-coach-secrets"));
  CHECK_THAT(read_file(kDeploy / "k8s" / "configmap.yaml"),
             Catch::Contains("OKR_COACH_LISTEN: \"0.0.0.0:8080\""));
}

TEST_CASE("the Kubernetes Secret template names every secret setting and holds no value",
          "[deploy][k8s]") {
  const std::string secret = read_file(kDeploy / "k8s" / "secret.example.yaml");
  for (const std::string name :
       {"OKR_COACH_WEB_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"}) {
    INFO(name);
    CHECK_THAT(secret, Catch::Contains("\n  " + name + ": \"\"\n"));
  }
  // The template stays out of `kubectl apply -k`, so an empty Secret never replaces a real one.
  CHECK_THAT(read_file(kDeploy / "k8s" / "kustomization.yaml"),
             !Catch::Contains("- secret.example.yaml"));
}

TEST_CASE("kubectl kustomize renders the Kubernetes files", "[deploy][k8s]") {
  const auto kubectl = tool("kubectl");
  if (!kubectl) {
    WARN("kubectl is not installed: the Kubernetes files were only checked as text");
    return;
  }
  // kustomize renders locally; it never contacts a cluster.
  const Run rendered = run(*kubectl, {"kustomize", (kDeploy / "k8s").string()});
  INFO(rendered.err);
  REQUIRE(rendered.code == 0);
  for (const char* kind :
       {"kind: ConfigMap", "kind: Service", "kind: PersistentVolumeClaim", "kind: Deployment"}) {
    INFO(kind);
    CHECK_THAT(rendered.out, Catch::Contains(kind));
  }
}

// ---------------------------------------------------------------- compose + Caddy

TEST_CASE("docker compose builds the image from deploy/Dockerfile behind a TLS proxy",
          "[deploy][compose]") {
  const std::string compose = read_file(kDeploy / "docker-compose.yml");
  CHECK_THAT(compose, Catch::Contains("dockerfile: deploy/Dockerfile"));
  CHECK_THAT(compose, Catch::Contains("- okr-data:/var/lib/okr-coach"));
  CHECK_THAT(compose, Catch::Contains("env_file: okr-coach.env"));
  CHECK_THAT(compose, Catch::Contains("- ./Caddyfile:/etc/caddy/Caddyfile:ro"));
  CHECK_THAT(compose, Catch::Contains("\"443:443\""));
  // okr-coach itself is not published on the host: only the proxy reaches it.
  const auto caddy_at = compose.find("\n  caddy:");
  REQUIRE(caddy_at != std::string::npos);
  CHECK_THAT(compose.substr(0, caddy_at), !Catch::Contains("ports:"));

  const std::string caddyfile = read_file(kDeploy / "Caddyfile");
  CHECK_THAT(caddyfile, Catch::Contains("reverse_proxy okr-coach:8080"));
  CHECK_THAT(caddyfile, Catch::Contains("respond @metrics 404"));
  CHECK(fs::exists(kDeploy / "okr-coach.env.example"));
}

// ---------------------------------------------------------------- secrets everywhere

TEST_CASE("every secret setting can be given to each deployment the same way",
          "[deploy][secrets]") {
  const std::string entrypoint_text = read_file(kDeploy / "entrypoint.sh");
  const std::string secret = read_file(kDeploy / "k8s" / "secret.example.yaml");
  const std::string env_example = read_file(kDeploy / "okr-coach.env.example");
  const std::regex file_list(R"(for name in ([A-Z_ ]+); do)");
  std::smatch list;
  REQUIRE(std::regex_search(entrypoint_text, list, file_list));
  const std::string file_secrets = " " + list[1].str() + " ";
  int secrets = 0;
  for (const okr::config::Field& field : okr::config::fields()) {
    if (!field.secret) {
      continue;
    }
    ++secrets;
    const std::string name(field.env);
    INFO(name << " is a secret in config/fields.cpp: add it to the NAME_FILE loop of "
                 "deploy/entrypoint.sh, to deploy/k8s/secret.example.yaml and to "
                 "deploy/okr-coach.env.example");
    CHECK(file_secrets.find(" " + name + " ") != std::string::npos);
    CHECK_THAT(secret, Catch::Contains("\n  " + name + ": \"\"\n"));
    CHECK_THAT(env_example, Catch::Contains("\n" + name + "=\n"));
  }
  CHECK(secrets >= 3);
}
