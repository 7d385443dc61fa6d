#include "dialogs/schedule.hpp"

#include <algorithm>
#include <cctype>

namespace okr::dialogs {

std::string schedule_kind_name(ScheduleKind kind) {
  switch (kind) {
    case ScheduleKind::checkin:
      return "checkin";
    case ScheduleKind::reminder:
      return "reminder";
    case ScheduleKind::reflect:
      return "reflect";
    case ScheduleKind::digest:
      return "digest";
  }
  return "checkin";
}

std::optional<ScheduleKind> schedule_kind_from_name(std::string_view name) {
  std::string n(name);
  std::transform(n.begin(), n.end(), n.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (n == "checkin" || n == "check-in")
    return ScheduleKind::checkin;
  if (n == "reminder")
    return ScheduleKind::reminder;
  if (n == "reflect" || n == "reflection")
    return ScheduleKind::reflect;
  if (n == "digest")
    return ScheduleKind::digest;
  return std::nullopt;
}

}  // namespace okr::dialogs
