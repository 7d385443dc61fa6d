#include "bot/pipeline/team_digest.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "dialogs/digest_json.hpp"
#include "dialogs/digest_render.hpp"
#include "storage/digest_source.hpp"
#include "storage/teams.hpp"

namespace okr::bot::pipeline {

bool may_read_team_digest(const std::vector<dialogs::Role>& roles_in_team) {
  return std::any_of(roles_in_team.begin(), roles_in_team.end(), [](dialogs::Role r) {
    return r == dialogs::Role::manager || r == dialogs::Role::coach || r == dialogs::Role::admin;
  });
}


std::optional<dialogs::Digest> weekly_digest(storage::Database& db, dialogs::Id team_id, dialogs::TimePoint now,
                                             std::optional<dialogs::IsoWeek> week) {
  if (!week) {
    const auto team = storage::Teams(db).by_id(team_id);
    if (!team)
      return std::nullopt;
    week = dialogs::week_containing(now, team->settings.time_zone);
  }
  const auto source = storage::load_digest_source(db, team_id, *week, now);
  if (!source)
    return std::nullopt;
  return dialogs::compose_digest(*source);
}

std::optional<dialogs::Outbound> weekly_digest_message(storage::Database& db, dialogs::Id team_id,
                                                       dialogs::TimePoint now, std::optional<dialogs::IsoWeek> week) {
  const auto digest = weekly_digest(db, team_id, now, week);
  if (!digest || digest->key_result_count == 0)
    return std::nullopt;
  return dialogs::digest_message(*digest);
}

std::optional<nlohmann::json> weekly_digest_json(storage::Database& db, dialogs::Id team_id, dialogs::TimePoint now,
                                                 std::optional<dialogs::IsoWeek> week) {
  const auto digest = weekly_digest(db, team_id, now, week);
  if (!digest)
    return std::nullopt;
  return dialogs::digest_json(*digest);
}

}  // namespace okr::bot::pipeline
