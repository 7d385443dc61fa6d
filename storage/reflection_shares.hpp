#pragma once
// Reflections a person chose to share with their coach (migration 9). A reflection is private
// to its author; a coach reads only what was shared with them.
#include <vector>

#include "dialogs/domain.hpp"

namespace okr::storage {

class Database;

class ReflectionShares {
 public:
  explicit ReflectionShares(Database& db) : db_(db) {}

  // Records the share and marks the reflection shared; false when this coach already had it.
  // Joins the caller's transaction.
  bool share(dialogs::Id reflection_id, dialogs::Id coach_id, dialogs::TimePoint at);
  // The reflections `viewer_id` may read: their own, and those shared with them; newest first.
  // Scores are not included.
  std::vector<dialogs::Reflection> readable_by(dialogs::Id viewer_id);

 private:
  Database& db_;
};

}  // namespace okr::storage
