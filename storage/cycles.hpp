#pragma once
// OKR cycles of a team (or of a person without a team: team_id 0). A cycle is a run of
// `cycle_months` calendar months aligned to the year (quarters by default), in UTC.
#include <optional>

#include "dialogs/domain.hpp"

namespace okr::storage {

class Database;

// The cycle containing `at`, not yet stored (id 0): label ("2026-Q4", "2026-H1", "2026",
// "2026-11", or "2026-02..2026-05" for lengths that do not divide a year) and bounds
// [starts_at, ends_at). A non-positive length falls back to a quarter.
dialogs::Cycle cycle_containing(dialogs::TimePoint at, int cycle_months);

class Cycles {
 public:
  explicit Cycles(Database& db) : db_(db) {}

  // The stored cycle of `team_id` (0 = personal) containing `at`, created when missing.
  dialogs::Cycle current(dialogs::Id team_id, const dialogs::ProgramSettings& settings, dialogs::TimePoint at);
  std::optional<dialogs::Cycle> by_id(dialogs::Id id);
  // The latest stored cycle of the team that ended at or before `before`.
  std::optional<dialogs::Cycle> previous(dialogs::Id team_id, dialogs::TimePoint before);

 private:
  Database& db_;
};

}  // namespace okr::storage
