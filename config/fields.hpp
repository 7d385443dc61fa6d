#pragma once
// The table of configuration fields: one row per setting, shared by the JSON file, the
// environment and the command-line flags, so each value has exactly one parser and validator.
// To add a setting: add the member to Config (config/config.hpp), one row to the table in
// config/fields.cpp, and a line to docs/configuration.md and config/okr-coach.example.json.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace okr::config {

struct Field {
  std::string_view env;         // the contract: "OKR_COACH_LISTEN"
  std::string_view json_key;    // dotted path in the JSON file: "server.listen"
  std::string_view flag;        // command-line flag, or empty when there is none
  std::string_view value_name;  // placeholder in --help, e.g. "HOST:PORT"
  bool secret;                  // never printed, logged or echoed in a problem
  std::string_view doc;         // one sentence for --help and docs
  // Parses `text` into `config`; on failure returns what is wrong, without repeating the value
  // when the field is secret.
  std::optional<std::string> (*apply)(std::string_view text, Config& config);
  // The effective value for check-config (secrets are redacted by the caller, not here).
  nlohmann::json (*show)(const Config& config);
};

std::span<const Field> fields();

// The field with this env name, or nullptr.
const Field* find_field(std::string_view env);

}  // namespace okr::config
