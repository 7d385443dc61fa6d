#pragma once
// Which schedules a person may see, and how they are named: one rule for `/okr schedules` and
// the web page's schedule list. A team's digest schedule is shown only to its managers (and to
// whoever created it); everything else that reaches the person is theirs to see.
#include <string>
#include <vector>

#include "dialogs/schedule.hpp"

namespace okr::storage {
class Database;
}

namespace okr::bot::pipeline {

// Active schedules that reach `person_id` (own, set up by them, their teams'), soonest first.
std::vector<dialogs::Schedule> visible_schedules(storage::Database& db, dialogs::Id person_id);

// "check-in nudge", "check-in reminder", "reflection prompt", "team digest".
std::string schedule_kind_words(dialogs::ScheduleKind kind);

}  // namespace okr::bot::pipeline
