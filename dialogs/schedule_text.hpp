#pragma once
// Reading what someone typed after `/okr schedule`:
//   <kind> for <@user|me|team> every mon,wed at 09:00 [with <dialog>]
//   digest for #channel every mon at 09:00  (posted in the channel instead of DMs)
//   <kind> for <@user|me|team> on 2026-12-18 at 15:00 [with <dialog>]
//   <kind> for <@user|me|team> at end of cycle [with <dialog>]
// Kinds: checkin, reminder, reflect, digest. Pure: who may schedule what, and in which zone the
// local times are read, are the caller's business. Anything unreadable gets one warm message
// showing the accepted forms with an example.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "dialogs/domain.hpp"
#include "dialogs/recurrence.hpp"
#include "dialogs/schedule.hpp"

namespace okr::dialogs {

struct ScheduleTarget {
  enum class Kind { me, person, team, channel };
  Kind kind = Kind::me;
  // Kind::person: the mentioned user's platform id; Kind::channel (digests only): the
  // channel's platform id ("C123" from "#C123").
  std::string user_ref;
  friend bool operator==(const ScheduleTarget&, const ScheduleTarget&) = default;
};

struct ScheduleRequest {
  ScheduleKind kind = ScheduleKind::checkin;
  ScheduleTarget target;
  Recurrence recurrence;
  std::string dialog;  // "with <name>": a custom question set; empty = the kind's own dialog
};

struct ScheduleTextError {
  std::string message;  // for the person: what was off, then the accepted forms
};

std::variant<ScheduleRequest, ScheduleTextError> parse_schedule_text(std::string_view text);

// A one-off whose local date-time (read in `time_zone`) is not after `now` cannot be
// scheduled: the message says so kindly. nullopt when the request is fine. Throws
// UnknownTimeZone.
std::optional<ScheduleTextError> check_not_in_past(const ScheduleRequest& request,
                                                   std::string_view time_zone, TimePoint now);

// The accepted forms with an example, shown after a problem and by `/okr schedule` alone.
std::string schedule_forms();

}  // namespace okr::dialogs
