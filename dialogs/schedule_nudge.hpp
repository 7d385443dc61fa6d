#pragma once
// What a fired schedule says to a person. A nudge is a Question with id "say": clicking a choice
// (or typing its label) is taken as if its value were typed, so "Start" begins the dialog and
// "Snooze 2h" / "Skip this week" reach the `snooze` / `skip` commands (see TurnRunner).
#include <string>

#include "dialogs/message.hpp"

namespace okr::dialogs {

inline constexpr const char* kSayQuestion = "say";

// "Time for your weekly check-in — ready?" with Start / Snooze 2h / Skip this week. Start
// begins `dialog` (a schedule's custom question set) or, when empty, `checkin`.
Outbound checkin_nudge(const std::string& dialog = {});
// The gentle second ask, for someone who has not checked in since the nudge.
Outbound checkin_reminder(const std::string& dialog = {});
// A reflection prompt; Start begins `dialog` (the schedule's custom question set) or `reflect`.
// `cycle_end`: the prompt of the cycle's last day (worded as such).
Outbound reflection_prompt(const std::string& dialog, bool cycle_end);

}  // namespace okr::dialogs
