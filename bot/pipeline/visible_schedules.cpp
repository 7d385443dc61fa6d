#include "bot/pipeline/visible_schedules.hpp"

#include <algorithm>

#include "storage/memberships.hpp"
#include "storage/schedules.hpp"

namespace okr::bot::pipeline {

std::vector<dialogs::Schedule> visible_schedules(storage::Database& db, dialogs::Id person_id) {
  storage::Memberships memberships(db);
  std::vector<dialogs::Id> team_ids;
  for (const auto& team : memberships.teams_of(person_id))
    team_ids.push_back(team.id);
  auto reaching = storage::Schedules(db).reaching(person_id, team_ids);
  std::erase_if(reaching, [&](const dialogs::Schedule& s) {
    if (s.kind != dialogs::ScheduleKind::digest || s.person_id != 0 || s.created_by == person_id)
      return false;
    const auto roles = memberships.roles(s.team_id, person_id);
    return std::find(roles.begin(), roles.end(), dialogs::Role::manager) == roles.end();
  });
  return reaching;
}

std::string schedule_kind_words(dialogs::ScheduleKind kind) {
  switch (kind) {
    case dialogs::ScheduleKind::checkin:
      return "check-in nudge";
    case dialogs::ScheduleKind::reminder:
      return "check-in reminder";
    case dialogs::ScheduleKind::reflect:
      return "reflection prompt";
    case dialogs::ScheduleKind::digest:
      return "team digest";
  }
  return "schedule";
}

}  // namespace okr::bot::pipeline
