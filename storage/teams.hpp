#pragma once
// Teams, found by their unique name, with their program settings.
#include <optional>
#include <string>

#include "dialogs/domain.hpp"

namespace okr::storage {

class Database;

class Teams {
 public:
  explicit Teams(Database& db) : db_(db) {}

  // The team called `name`, created with default program settings when there is none.
  dialogs::Team find_or_create(const std::string& name);
  std::optional<dialogs::Team> by_name(const std::string& name);
  std::optional<dialogs::Team> by_id(dialogs::Id id);
  // StorageError{not_found} when the team does not exist.
  void save_settings(dialogs::Id team_id, const dialogs::ProgramSettings& settings);

 private:
  Database& db_;
};

}  // namespace okr::storage
