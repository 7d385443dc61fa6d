#pragma once
// Instants written the way the scheduling tests read them: "2026-03-09T13:00", always UTC.
// Header-only so every test binary (unit_dialogs and unit_storage too, which do not link the
// test-support library) can use it.
#include <optional>
#include <sstream>
#include <string>

#include <date/date.h>
#include <catch2/catch.hpp>

#include "dialogs/domain.hpp"

namespace okr::test {

// "2026-03-09T13:00" read as UTC; a typo fails the test rather than yielding the epoch.
inline dialogs::TimePoint utc(const char* text) {
  std::istringstream in(text);
  date::sys_seconds t;
  in >> date::parse("%Y-%m-%dT%H:%M", t);
  REQUIRE(!in.fail());
  return t;
}

// The same format back, "none" for no instant, so CHECKs show readable values.
inline std::string iso(std::optional<dialogs::TimePoint> t) {
  return t ? date::format("%Y-%m-%dT%H:%M", *t) : std::string("none");
}

}  // namespace okr::test
