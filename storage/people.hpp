#pragma once
// People as the chat platforms know them; (platform, workspace, user_ref) identifies one.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dialogs/domain.hpp"

namespace okr::storage {

class Database;

class People {
 public:
  explicit People(Database& db) : db_(db) {}

  // The stored person with this identity, created from `identity` (display name, time zone)
  // when there is none yet. An existing person keeps their stored profile.
  dialogs::Person find_or_create(const dialogs::Person& identity);
  std::optional<dialogs::Person> find(const std::string& platform, const std::string& workspace,
                                      const std::string& user_ref);
  std::optional<dialogs::Person> by_id(dialogs::Id id);
  // The stored people among `ids`, by id, in one query (the scheduler reads a whole claim
  // batch's recipients at once instead of one statement per nudge). Unknown ids are absent.
  std::map<dialogs::Id, dialogs::Person> by_ids(const std::vector<dialogs::Id>& ids);
  void update_profile(dialogs::Id id, const std::string& display_name, const std::string& time_zone);

 private:
  Database& db_;
};

}  // namespace okr::storage
