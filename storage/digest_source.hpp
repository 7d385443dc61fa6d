#pragma once
// Everything a team's weekly digest is computed from, loaded in a handful of queries (no query
// per objective or key result, so a thousand digests stay cheap).
#include <optional>

#include "dialogs/digest.hpp"

namespace okr::storage {

class Database;

// The digest source of `team_id` for `week`, judged at `generated_at`. The week belongs to the
// team's stored cycle containing its Thursday (the ISO rule for which year a week is in, applied
// to cycles); without one, the cycle is described but has id 0 and no objectives.
// nullopt when the team does not exist.
std::optional<dialogs::DigestSource> load_digest_source(Database& db, dialogs::Id team_id, const dialogs::IsoWeek& week,
                                                        dialogs::TimePoint generated_at);

}  // namespace okr::storage
