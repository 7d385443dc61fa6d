#include "bot/web/time_text.hpp"

#include <date/date.h>

namespace okr::bot::web {

std::string iso_utc(dialogs::TimePoint at) {
  return date::format("%FT%TZ", at);
}

}  // namespace okr::bot::web
