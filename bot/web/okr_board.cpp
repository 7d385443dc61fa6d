#include "bot/web/okr_board.hpp"

#include <map>

#include "bot/web/time_text.hpp"
#include "dialogs/domain_names.hpp"
#include "dialogs/key_result_view.hpp"
#include "dialogs/progress.hpp"
#include "storage/check_ins.hpp"
#include "storage/cycles.hpp"
#include "storage/memberships.hpp"
#include "storage/objectives.hpp"
#include "storage/people.hpp"

namespace okr::bot::web {
namespace {

std::string reason_text(dialogs::RiskReason reason) {
  switch (reason) {
    case dialogs::RiskReason::low_confidence:
      return "confidence is 4 or lower";
    case dialogs::RiskReason::very_low_confidence:
      return "confidence is 2 or lower";
    case dialogs::RiskReason::behind_schedule:
      return "progress trails the time elapsed by more than 20 points";
    case dialogs::RiskReason::far_behind:
      return "progress trails the time elapsed by more than 40 points";
    case dialogs::RiskReason::confidence_dropped:
      return "confidence dropped by 3 or more since the previous check-in";
  }
  return "at risk";
}

nlohmann::json optional_number(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json key_result_entry(storage::CheckIns& check_ins, const dialogs::KeyResult& kr,
                                double expected) {
  const auto recent = check_ins.history(kr.id, 2);
  const auto progress = dialogs::key_result_progress(kr);
  nlohmann::json entry = {
      {"id", kr.id},
      {"text", kr.text},
      {"kind", std::string(dialogs::to_string(kr.kind))},
      {"direction", std::string(dialogs::to_string(kr.direction))},
      {"unit", kr.unit},
      {"baseline", optional_number(kr.baseline)},
      {"target", optional_number(kr.target)},
      {"current", optional_number(kr.current)},
      {"value_text", kr.current ? dialogs::value_text(kr, *kr.current) : std::string("no value yet")},
      {"progress", optional_number(progress)},
      {"expected", expected},
      {"confidence", nullptr},
      {"previous_confidence", nullptr},
      {"last_check_in", nullptr},
      {"risk", "unknown"},
      {"at_risk", false},
      {"reasons", nlohmann::json::array()},
  };
  if (recent.empty())
    return entry;
  const auto& latest = recent.front();
  std::optional<int> previous;
  if (recent.size() > 1)
    previous = recent[1].confidence;
  entry["confidence"] = latest.confidence;
  entry["previous_confidence"] = previous ? nlohmann::json(*previous) : nlohmann::json(nullptr);
  entry["last_check_in"] = iso_utc(latest.at);
  const auto risk = dialogs::assess_risk(progress.value_or(0.0), expected, latest.confidence, previous);
  entry["risk"] = dialogs::to_string(risk.level);
  entry["at_risk"] = risk.level != dialogs::Risk::on_track;
  for (const auto reason : risk.reasons)
    entry["reasons"].push_back(reason_text(reason));
  return entry;
}

nlohmann::json objective_entry(storage::CheckIns& check_ins, const dialogs::Objective& objective,
                               const std::string& owner, double expected) {
  auto key_results = nlohmann::json::array();
  bool at_risk = false;
  for (const auto& kr : objective.key_results) {
    auto entry = key_result_entry(check_ins, kr, expected);
    at_risk = at_risk || entry["at_risk"].get<bool>();
    key_results.push_back(std::move(entry));
  }
  return {{"id", objective.id},
          {"text", objective.text},
          {"why", objective.why},
          {"owner", owner},
          {"progress", optional_number(dialogs::objective_progress(objective.key_results))},
          {"at_risk", at_risk},
          {"key_results", std::move(key_results)}};
}

}  // namespace

BoardScope load_scope(storage::Database& db, const std::string& platform,
                      const std::string& workspace, const std::string& user_ref,
                      dialogs::TimePoint now) {
  BoardScope scope;
  dialogs::Person identity;
  identity.platform = platform;
  identity.workspace = workspace;
  identity.user_ref = user_ref;
  identity.display_name = user_ref;
  scope.person = storage::People(db).find_or_create(identity);
  // The same team a turn uses (pipeline::TurnRunner: the first one), so the board shows the
  // OKRs the coach talks about.
  const auto teams = storage::Memberships(db).teams_of(scope.person.id);
  dialogs::ProgramSettings settings;
  if (!teams.empty()) {
    scope.team = teams.front();
    settings = scope.team->settings;
  }
  scope.cycle = storage::Cycles(db).current(scope.team ? scope.team->id : 0, settings, now);
  return scope;
}

nlohmann::json okr_board(storage::Database& db, const BoardScope& scope, dialogs::TimePoint now) {
  storage::CheckIns check_ins(db);
  storage::People people(db);
  const double expected = dialogs::elapsed_fraction(scope.cycle.starts_at, scope.cycle.ends_at, now);

  auto mine = nlohmann::json::array();
  for (const auto& objective : storage::Objectives(db).of_person(scope.person.id, scope.cycle.id))
    mine.push_back(objective_entry(check_ins, objective, scope.person.display_name, expected));

  auto team = nlohmann::json::array();
  if (scope.team) {
    std::map<dialogs::Id, std::string> names;
    for (const auto& objective : storage::Objectives(db).of_team(scope.team->id, scope.cycle.id)) {
      if (objective.person_id == scope.person.id)
        continue;
      auto name = names.find(objective.person_id);
      if (name == names.end()) {
        const auto owner = people.by_id(objective.person_id);
        name = names.emplace(objective.person_id, owner ? owner->display_name : "someone").first;
      }
      team.push_back(objective_entry(check_ins, objective, name->second, expected));
    }
  }

  return {{"person", {{"name", scope.person.display_name}, {"time_zone", scope.person.time_zone}}},
          {"team", scope.team ? nlohmann::json{{"name", scope.team->name}} : nlohmann::json(nullptr)},
          {"cycle",
           {{"label", scope.cycle.label},
            {"starts_at", iso_utc(scope.cycle.starts_at)},
            {"ends_at", iso_utc(scope.cycle.ends_at)},
            {"elapsed", expected}}},
          {"mine", std::move(mine)},
          {"team_objectives", std::move(team)}};
}

std::optional<dialogs::KeyResult> visible_key_result(storage::Database& db, const BoardScope& scope,
                                                     dialogs::Id key_result_id) {
  storage::Objectives objectives(db);
  const auto kr = objectives.key_result(key_result_id);
  if (!kr)
    return std::nullopt;
  const auto objective = objectives.by_id(kr->objective_id);
  if (!objective || objective->cycle_id != scope.cycle.id)
    return std::nullopt;
  const bool mine = objective->person_id == scope.person.id;
  const bool my_team = scope.team && objective->team_id == scope.team->id;
  if (!mine && !my_team)
    return std::nullopt;
  return kr;
}

}  // namespace okr::bot::web
