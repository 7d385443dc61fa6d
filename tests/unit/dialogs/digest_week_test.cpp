#include <catch2/catch.hpp>

#include "dialogs/digest_week.hpp"
#include "tests/unit/dialogs/digest_fixture.hpp"

using namespace okr::dialogs;
using okr::digest_fixture::utc;

TEST_CASE("ISO weeks are read in the written form and refused otherwise", "[digest][week]") {
  CHECK(parse_iso_week("2026-W48") == IsoWeek{2026, 48});
  CHECK(parse_iso_week(" 2026-w05 ") == IsoWeek{2026, 5});
  CHECK(parse_iso_week("2026W48") == IsoWeek{2026, 48});
  CHECK(parse_iso_week("2026-W53") == IsoWeek{2026, 53});  // 2026 starts on a Thursday: a long year
  CHECK_FALSE(parse_iso_week("2027-W53"));
  CHECK_FALSE(parse_iso_week("2026-W00"));
  CHECK_FALSE(parse_iso_week("2026-48"));
  CHECK_FALSE(parse_iso_week("last week"));
  CHECK_FALSE(parse_iso_week("2026-W4"));
  CHECK(to_string(IsoWeek{2026, 5}) == "2026-W05");
}

TEST_CASE("the week of an instant depends on the team's time zone", "[digest][week]") {
  const auto sunday_late = utc(2026, 11, 29, 23) + std::chrono::minutes{30};
  CHECK(week_containing(sunday_late, "UTC") == IsoWeek{2026, 48});
  CHECK(week_containing(sunday_late, "Europe/Berlin") == IsoWeek{2026, 49});
  CHECK(week_containing(utc(2027, 1, 1, 12), "UTC") == IsoWeek{2026, 53});
  CHECK(week_containing(sunday_late, "Not/AZone") == IsoWeek{2026, 48});
}

TEST_CASE("a week runs from local Monday midnight to the next", "[digest][week]") {
  const auto utc_week = bounds_of(IsoWeek{2026, 48}, "UTC");
  CHECK(utc_week.starts_at == utc(2026, 11, 23));
  CHECK(utc_week.ends_at == utc(2026, 11, 30));
  const auto berlin = bounds_of(IsoWeek{2026, 48}, "Europe/Berlin");
  CHECK(berlin.starts_at == utc(2026, 11, 22, 23));
  // The week of the October clock change is an hour longer.
  const auto change = bounds_of(IsoWeek{2026, 43}, "Europe/Berlin");
  CHECK(change.ends_at - change.starts_at == std::chrono::hours{7 * 24 + 1});
  CHECK(previous_week(IsoWeek{2027, 1}) == IsoWeek{2026, 53});
  CHECK(previous_week(IsoWeek{2026, 48}) == IsoWeek{2026, 47});
}
