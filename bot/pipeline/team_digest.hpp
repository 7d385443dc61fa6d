#pragma once
// The weekly manager digest of one team, ready to send or show: what the scheduler fires on the
// team's digest day, what `/okr digest` answers and what the web page shows at /web/api/digest.
// Reads everything it needs from storage in a few queries; the composition itself is the pure
// dialogs::compose_digest. The JSON form is stable and documented in docs/digest.md.
#include <optional>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "dialogs/digest.hpp"
#include "dialogs/digest_week.hpp"
#include "dialogs/message.hpp"

namespace okr::storage {
class Database;
}

namespace okr::bot::pipeline {
// Who may read a team's digest: its managers, coaches and admins (one rule for `/okr digest`
// and the web page).
bool may_read_team_digest(const std::vector<dialogs::Role>& roles_in_team);


// The composed digest (for callers that render it themselves, e.g. as markdown); nullopt when
// the team does not exist.
std::optional<dialogs::Digest> weekly_digest(storage::Database& db, dialogs::Id team_id, dialogs::TimePoint now,
                                             std::optional<dialogs::IsoWeek> week = std::nullopt);

// The digest of `team_id` for `week` (default: the week containing `now` in the team's time
// zone) as a neutral message: text that stands alone plus a ProgressTable whose rows carry
// at_risk. `now` is the generation time (the "as of" of progress, pace and staleness).
// nullopt when the team does not exist, or when it has no key results in that week's cycle
// (nothing worth sending; the scheduler then skips the team).
std::optional<dialogs::Outbound> weekly_digest_message(storage::Database& db, dialogs::Id team_id,
                                                       dialogs::TimePoint now,
                                                       std::optional<dialogs::IsoWeek> week = std::nullopt);

// The same digest in its stable JSON form (docs/digest.md). nullopt only when the team does not
// exist: a team with nothing to report still gets a digest with empty lists.
std::optional<nlohmann::json> weekly_digest_json(storage::Database& db, dialogs::Id team_id, dialogs::TimePoint now,
                                                 std::optional<dialogs::IsoWeek> week = std::nullopt);

}  // namespace okr::bot::pipeline
