#pragma once
// Instants as the web API writes them: ISO 8601 in UTC ("2026-11-25T09:00:00Z"); the page shows
// them in the reader's own zone.
#include <string>

#include "dialogs/domain.hpp"

namespace okr::bot::web {

std::string iso_utc(dialogs::TimePoint at);

}  // namespace okr::bot::web
