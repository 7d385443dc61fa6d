#pragma once
// Objectives with their key results: one aggregate, saved and loaded together.
#include <initializer_list>
#include <optional>
#include <vector>

#include "dialogs/domain.hpp"

namespace okr::storage {

class Database;

class Objectives {
 public:
  explicit Objectives(Database& db) : db_(db) {}

  // Inserts the objective and its key results (positions renumbered 0..n-1 in the given
  // order) and returns them with their new ids. team_id 0 is stored as "no team".
  dialogs::Objective add(dialogs::Objective objective);
  std::optional<dialogs::Objective> by_id(dialogs::Id id);
  // A person's objectives in one cycle, oldest first, each with its key results in order.
  std::vector<dialogs::Objective> of_person(dialogs::Id person_id, dialogs::Id cycle_id);
  // Every objective of a team in one cycle (for digests), oldest first.
  std::vector<dialogs::Objective> of_team(dialogs::Id team_id, dialogs::Id cycle_id);
  std::optional<dialogs::KeyResult> key_result(dialogs::Id key_result_id);

 private:
  std::vector<dialogs::Objective> load_where(const char* where, std::initializer_list<dialogs::Id> values);
  Database& db_;
};

}  // namespace okr::storage
