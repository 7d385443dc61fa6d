#include "config/load.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "config/fields.hpp"

extern char** environ;

namespace okr::config {

namespace {

// Where a value came from, so a problem tells the operator which source to fix.
struct Candidate {
  std::string value;
  std::string origin;
};

constexpr std::string_view kConfigFileField = "--config";

unsigned default_threads() {
  const unsigned cores = std::thread::hardware_concurrency();
  return std::clamp(cores, 1u, 256u);
}

std::pair<std::size_t, std::size_t> line_and_column(const std::string& text, std::size_t byte) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::string known_keys_of(std::string_view section) {
  std::string keys;
  for (const Field& field : fields()) {
    const auto dot = field.json_key.find('.');
    if (field.json_key.substr(0, dot) == section) {
      keys += (keys.empty() ? "" : ", ") + std::string(field.json_key.substr(dot + 1));
    }
  }
  return keys;
}

std::string known_sections() {
  std::vector<std::string> sections;
  for (const Field& field : fields()) {
    std::string section(field.json_key.substr(0, field.json_key.find('.')));
    if (std::find(sections.begin(), sections.end(), section) == sections.end()) {
      sections.push_back(section);
    }
  }
  std::string out;
  for (const auto& s : sections) {
    out += (out.empty() ? "" : ", ") + s;
  }
  return out;
}

const Field* field_for_json_key(const std::string& key) {
  for (const Field& field : fields()) {
    if (field.json_key == key) {
      return &field;
    }
  }
  return nullptr;
}

// Reads the JSON file into candidates keyed by env name. Every value goes through the same
// text parser as env and flags; numbers are accepted in their JSON spelling.
void read_file(const std::string& path, std::map<std::string, Candidate>& out,
               std::vector<Problem>& problems) {
  const std::string field(kConfigFileField);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.push_back({field, "cannot read config file " + path + ": " + std::strerror(errno)});
    return;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // The library's own message quotes the text around the error, which may be a secret, so
    // only the position is reported.
    const auto [line, column] = line_and_column(text, e.byte);
    problems.push_back({field, "config file " + path + " is not valid JSON: error at line " +
                                   std::to_string(line) + ", column " + std::to_string(column)});
    return;
  }
  if (!document.is_object()) {
    problems.push_back({field, "config file " + path + " must hold a JSON object"});
    return;
  }

  for (const auto& [section, members] : document.items()) {
    if (known_keys_of(section).empty()) {
      problems.push_back({section, "unknown key in config file " + path +
                                       " (known sections: " + known_sections() + ")"});
      continue;
    }
    if (!members.is_object()) {
      problems.push_back({section, "must be a JSON object in config file " + path});
      continue;
    }
    for (const auto& [name, value] : members.items()) {
      const std::string key = section + "." + name;
      const Field* target = field_for_json_key(key);
      if (target == nullptr) {
        problems.push_back({key, "unknown key in config file " + path + " (known keys in \"" +
                                     section + "\": " + known_keys_of(section) + ")"});
        continue;
      }
      const std::string origin = "config file " + path + ", key " + key;
      if (value.is_string()) {
        out[std::string(target->env)] = {value.get<std::string>(), origin};
      } else if (value.is_number()) {
        out[std::string(target->env)] = {value.dump(), origin};
      } else {
        problems.push_back(
            {std::string(target->env), "must be a JSON string or number (from " + origin + ")"});
      }
    }
  }
}

// A certificate without its key (or a key without its certificate) cannot serve HTTPS, and
// quietly serving plain HTTP where clients expect TLS would be worse than not starting.
void check_tls_pair(LoadResult& result) {
  const auto& config = result.config;
  if (config.tls_cert_file.empty() == config.tls_key_file.empty()) {
    return;
  }
  for (const auto& problem : result.problems) {
    if (problem.field == "OKR_COACH_TLS_CERT" || problem.field == "OKR_COACH_TLS_KEY") {
      return;  // the unreadable one is reported already
    }
  }
  const bool has_cert = !config.tls_cert_file.empty();
  result.problems.push_back(
      {has_cert ? "OKR_COACH_TLS_KEY" : "OKR_COACH_TLS_CERT",
       std::string("OKR_COACH_TLS_CERT and OKR_COACH_TLS_KEY must be set together to serve "
                   "HTTPS (only ") +
           (has_cert ? "OKR_COACH_TLS_CERT" : "OKR_COACH_TLS_KEY") +
           " is set); set both, or neither to serve plain HTTP behind a TLS proxy"});
}

}  // namespace

LoadResult load(const Sources& sources) {
  LoadResult result;
  result.config.threads = default_threads();

  std::map<std::string, Candidate> from_file;
  if (sources.config_file) {
    read_file(*sources.config_file, from_file, result.problems);
  }
  for (const auto& [name, value] : sources.flags) {
    if (find_field(name) == nullptr) {
      result.problems.push_back({name, "is not a known setting"});
    }
  }

  for (const Field& field : fields()) {
    const std::string env(field.env);
    std::optional<Candidate> chosen;
    if (auto it = sources.flags.find(env); it != sources.flags.end()) {
      chosen = Candidate{it->second, "flag " + std::string(field.flag.empty() ? env : field.flag)};
    } else if (auto it = sources.environment.find(env);
               it != sources.environment.end() && !it->second.empty()) {
      // An empty variable counts as unset: container tooling often exports NAME= for optionals.
      chosen = Candidate{it->second, "environment"};
    } else if (auto it = from_file.find(env); it != from_file.end()) {
      chosen = it->second;
    }
    if (!chosen) {
      continue;
    }
    if (auto error = field.apply(chosen->value, result.config)) {
      result.problems.push_back({env, *error + " (from " + chosen->origin + ")"});
    }
  }
  check_tls_pair(result);
  return result;
}

std::map<std::string, std::string> read_environment() {
  std::map<std::string, std::string> out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) {
      continue;
    }
    const std::string_view name = text.substr(0, equals);
    if (name.starts_with("OKR_COACH_") || name.starts_with("SLACK_") ||
        name.starts_with("TEAMS_")) {
      out.emplace(name, text.substr(equals + 1));
    }
  }
  return out;
}

std::string to_redacted_json(const Config& config) {
  nlohmann::json out = nlohmann::json::object();
  for (const Field& field : fields()) {
    nlohmann::json value = field.show(config);
    if (field.secret) {
      // "***" says a secret is set without revealing it; "" says it is unset, which is what an
      // operator debugging a missing secret needs to see.
      value = value.get<std::string>().empty() ? "" : "***";
    }
    const auto dot = field.json_key.find('.');
    out[std::string(field.json_key.substr(0, dot))][std::string(field.json_key.substr(dot + 1))] =
        std::move(value);
  }
  return out.dump(2);
}

}  // namespace okr::config
