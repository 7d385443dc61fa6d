#pragma once
// The one storage need of `okr-coach demo-data` that the repositories do not cover: a team cycle
// with bounds of our choosing, so the demo team is twelve weeks into its cycle whatever today's
// date (a calendar quarter would have only a week or two of history at its start).
#include <string>

#include "dialogs/domain.hpp"

namespace okr::storage {

class Database;

// Stores a cycle of `team_id` over [starts_at, ends_at) and returns it with its id.
// StorageError{conflict} when the team already has a cycle starting at that instant.
dialogs::Cycle add_team_cycle(Database& db, dialogs::Id team_id, const std::string& label,
                              dialogs::TimePoint starts_at, dialogs::TimePoint ends_at);

}  // namespace okr::storage
