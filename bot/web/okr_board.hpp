#pragma once
// The dashboard's data: the web person's OKRs of the current cycle and their team's, each key
// result with progress, the progress expected by now, the latest confidence and whether it is at
// risk and why (the rules of COACHING.md, computed by dialogs/progress).
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "dialogs/domain.hpp"

namespace okr::storage {
class Database;
}

namespace okr::bot::web {

// Whose board it is: the person, the team their turns use (their first team) and its cycle.
struct BoardScope {
  dialogs::Person person;
  std::optional<dialogs::Team> team;
  dialogs::Cycle cycle;
};

// Finds (creating on first sight, as a turn would) the person and their current cycle.
BoardScope load_scope(storage::Database& db, const std::string& platform,
                      const std::string& workspace, const std::string& user_ref,
                      dialogs::TimePoint now);

// {"person":{..}, "team":{..}|null, "cycle":{..}, "mine":[objective..], "team_objectives":[..]}
nlohmann::json okr_board(storage::Database& db, const BoardScope& scope, dialogs::TimePoint now);

// The key result with this id when it is on the board (the person's or a teammate's, current
// cycle); nullopt otherwise, so nobody reads key results they cannot see.
std::optional<dialogs::KeyResult> visible_key_result(storage::Database& db, const BoardScope& scope,
                                                     dialogs::Id key_result_id);

}  // namespace okr::bot::web
