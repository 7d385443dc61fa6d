// Being written: the header's contract is fixed; the bodies arrive with the digest composer.
#include "bot/pipeline/team_digest.hpp"

#include <nlohmann/json.hpp>

namespace okr::bot::pipeline {

std::optional<dialogs::Outbound> weekly_digest_message(storage::Database& /*db*/, dialogs::Id /*team_id*/,
                                                       dialogs::TimePoint /*now*/,
                                                       std::optional<dialogs::IsoWeek> /*week*/) {
  return std::nullopt;
}

std::optional<nlohmann::json> weekly_digest_json(storage::Database& /*db*/, dialogs::Id /*team_id*/,
                                                 dialogs::TimePoint /*now*/, std::optional<dialogs::IsoWeek> /*week*/) {
  return std::nullopt;
}

}  // namespace okr::bot::pipeline
