#include "dialogs/time_zones.hpp"

#include <exception>

#include <date/tz.h>

namespace okr::dialogs {

const date::time_zone* find_time_zone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    // locate_zone throws std::runtime_error for an unknown name; callers decide what that means.
    return nullptr;
  }
}

void load_time_zone_list() { (void)date::get_tzdb(); }

}  // namespace okr::dialogs
