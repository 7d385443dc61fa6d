#pragma once
// The one place that looks up IANA time zones in the date/tz database (Debian's build reads
// the system's /usr/share/zoneinfo).

#include <string_view>

namespace date {
class time_zone;
}

namespace okr::dialogs {

// The zone called `name`, or nullptr when the database does not know it.
const date::time_zone* find_time_zone(std::string_view name);

// Reads the database's list of zones now instead of at the first lookup. A multi-threaded
// process calls it before it starts threads: the library builds that list (and its zoneinfo
// path) in function-local statics whose "already built" check is a plain load inside the
// uninstrumented library. Two threads racing to the first lookup are safe in practice, but
// ThreadSanitizer cannot see that ordering and stops the process; built before any thread
// exists, the list is ordered by thread creation, which it does see.
void load_time_zone_list();

}  // namespace okr::dialogs
