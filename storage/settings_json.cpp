#include "storage/settings_json.hpp"

#include <nlohmann/json.hpp>

#include "dialogs/program_settings_json.hpp"

namespace okr::storage {

std::string settings_to_json(const dialogs::ProgramSettings& settings) {
  return dialogs::program_settings_json(settings).dump();
}

dialogs::ProgramSettings settings_from_json(std::string_view text) {
  // Unreadable text keeps the defaults rather than locking the team out (see the header).
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return dialogs::program_settings_from_json(j);
}

}  // namespace okr::storage
