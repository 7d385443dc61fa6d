#pragma once
// Loading the one Config: defaults < JSON file (--config) < environment < command-line flags,
// validated in one place. Every problem is reported, not only the first.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace okr::config {

// One problem with the configuration: the field (its env name, e.g. "OKR_COACH_LISTEN") and
// what is wrong with the value, without ever repeating a secret's value.
struct Problem {
  std::string field;
  std::string message;
};

// The sources, from weakest to strongest. `flags` holds command-line overrides keyed by env
// name (e.g. {"OKR_COACH_DB", "/tmp/x.db"}), so flags and env share one parser per field.
struct Sources {
  std::optional<std::string> config_file;              // path given to --config
  std::map<std::string, std::string> environment;      // usually from environ
  std::map<std::string, std::string> flags;
};

struct LoadResult {
  Config config;
  std::vector<Problem> problems;  // empty means valid
  bool ok() const { return problems.empty(); }
};

LoadResult load(const Sources& sources);

// The process environment, restricted to the names we know (OKR_COACH_*, SLACK_*, TEAMS_*).
std::map<std::string, std::string> read_environment();

// The effective configuration as pretty JSON text, every secret replaced by "***".
std::string to_redacted_json(const Config& config);

}  // namespace okr::config
