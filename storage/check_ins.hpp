#pragma once
// Weekly check-ins, one row per key result per check-in. Recording one also moves the key
// result's current value, so "where does it stand" never needs a scan of the history.
#include <optional>
#include <vector>

#include "dialogs/domain.hpp"

namespace okr::storage {

class Database;

class CheckIns {
 public:
  explicit CheckIns(Database& db) : db_(db) {}

  // Inserts the check-in and sets key_results.current to its value; returns it with its id.
  // StorageError{conflict} when the key result or person does not exist or confidence is
  // outside 1-10.
  dialogs::CheckIn record(dialogs::CheckIn check_in);
  std::optional<dialogs::CheckIn> latest(dialogs::Id key_result_id);
  // Newest first, at most `limit`.
  std::vector<dialogs::CheckIn> history(dialogs::Id key_result_id, int limit);
  // Newest first: a person's check-ins at or after `since` (for digests and "who checked in").
  std::vector<dialogs::CheckIn> of_person_since(dialogs::Id person_id, dialogs::TimePoint since);

 private:
  Database& db_;
};

}  // namespace okr::storage
