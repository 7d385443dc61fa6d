#pragma once
// A stored schedule: what to send (kind), to whom, when (a recurrence read in an IANA zone),
// and when it is next due. Plain value; storage/schedules keeps them, bot/pipeline/scheduler
// fires them.
#include <optional>
#include <string>
#include <string_view>

#include "dialogs/domain.hpp"
#include "dialogs/recurrence.hpp"

namespace okr::dialogs {

enum class ScheduleKind { checkin, reminder, reflect, digest };

std::string schedule_kind_name(ScheduleKind kind);                      // "checkin", …
std::optional<ScheduleKind> schedule_kind_from_name(std::string_view);  // also "check-in"

struct Schedule {
  enum class State {
    active,    // fires at next_due_at
    finished,  // a one-off that fired (or was skipped as too late)
    stopped,   // a team default someone unscheduled: kept so the defaults do not bring it back
  };
  Id id = 0;
  ScheduleKind kind = ScheduleKind::checkin;
  // The one person it is for; 0 = everyone the kind addresses in `team_id` (members for
  // checkin/reminder/reflect, managers for digest).
  Id person_id = 0;
  Id team_id = 0;       // the team whose program it belongs to; 0 = personal
  std::string channel;  // a platform channel to post in instead of DMs; empty = DMs
  Recurrence recurrence = Weekly{{1}, {9, 0}};
  std::string time_zone = "UTC";
  std::string dialog;         // custom question set; empty = the kind's own dialog
  bool team_default = false;  // made from the team's program settings, kept in sync with them
  std::optional<TimePoint> next_due_at;  // UTC; none once finished
  Id created_by = 0;                     // 0 = the program defaults
  std::optional<TimePoint> last_fired_at;
  State state = State::active;
};

}  // namespace okr::dialogs
