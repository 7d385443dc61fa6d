#include <catch2/catch.hpp>

#include "tests/unit/bot/pipeline/digest_commands_fixture.hpp"

using namespace okr;
using namespace okr::digest_fixture;
using Catch::Matchers::Contains;

TEST_CASE("a manager gets the current week's digest of their team with at-risk rows", "[pipeline][digest]") {
  OfficeFixture f;
  const auto replies = f.say("Platform-Dan", "digest");
  REQUIRE(replies.size() == 1);
  CHECK_THAT(replies[0].text, Contains("Weekly digest for Platform, 2026-W51 (2026-Q4)"));
  CHECK_THAT(replies[0].text, Contains("4 of 5 key results at risk; 2 people have not checked in"));
  REQUIRE(replies[0].progress);
  CHECK(replies[0].progress->rows.size() == 5);
  CHECK(replies[0].progress->rows[1].at_risk);
}

TEST_CASE("a coach can ask for another week's digest", "[pipeline][digest]") {
  OfficeFixture f;
  CHECK_THAT(f.reply("Platform-Ana", "digest 2026-W45"),
             Contains("3 of 4 key results at risk; 2 people have not checked in"));
}

TEST_CASE("a member is kindly told who receives the digest, and sees none of it", "[pipeline][digest]") {
  OfficeFixture f;
  const auto text = f.reply("Platform-Ben", "digest");
  CHECK_THAT(text, Contains("goes to its managers, coaches and admins"));
  CHECK_THAT(text, Contains("Dan (manager)"));
  CHECK_THAT(text, Contains("Ana (coach, admin)"));
  CHECK_THAT(text, !Contains("key results at risk"));
}

TEST_CASE("a manager of one team never gets another team's digest", "[pipeline][digest]") {
  OfficeFixture f;
  // Tools's manager asks, even naming the other team: only Tools is ever read.
  const auto own = f.reply("Tools-Dan", "digest");
  CHECK_THAT(own, Contains("Weekly digest for Tools"));
  CHECK_THAT(own, !Contains("Platform"));
  CHECK_THAT(f.reply("Tools-Dan", "digest Platform"), Contains("2026-W48"));
  CHECK_THAT(f.reply("Tools-Dan", "digest Platform"), !Contains("Weekly digest for Platform"));
}

TEST_CASE("a week that cannot be read gets the accepted form", "[pipeline][digest]") {
  OfficeFixture f;
  CHECK_THAT(f.reply("Platform-Dan", "digest last week"), Contains("`digest 2026-W48`"));
}

TEST_CASE("a week before the team had key results says there is nothing to digest", "[pipeline][digest]") {
  OfficeFixture f;
  CHECK_THAT(f.reply("Platform-Dan", "digest 2026-W30"), Contains("no key results in the cycle of 2026-W30"));
}

TEST_CASE("a week that has not started yet is not guessed at", "[pipeline][digest]") {
  OfficeFixture f;
  CHECK_THAT(f.reply("Platform-Dan", "digest 2026-W52"), Contains("2026-W52 hasn't started yet"));
}
