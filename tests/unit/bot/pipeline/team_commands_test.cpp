#include <catch2/catch.hpp>

#include "storage/memberships.hpp"
#include "storage/people.hpp"
#include "storage/reflections.hpp"
#include "tests/unit/bot/pipeline/digest_commands_fixture.hpp"

using namespace okr;
using namespace okr::digest_fixture;
using Catch::Matchers::Contains;

namespace {

std::vector<dialogs::Role> roles_of(OfficeFixture& f, const std::string& user) {
  const auto person = storage::People(f.db).find("terminal", "local", user);
  REQUIRE(person);
  return storage::Memberships(f.db).roles(f.platform.team_id, person->id);
}

}  // namespace

TEST_CASE("`team` lists each person with their roles", "[pipeline][team]") {
  OfficeFixture f;
  const auto text = f.reply("Platform-Ben", "team");
  CHECK_THAT(text, Contains("Platform has 6 people:"));
  CHECK_THAT(text, Contains("- Ana: member, coach, admin"));
  CHECK_THAT(text, Contains("- Dan: manager"));
  // Only coaches and admins are told how to change it.
  CHECK_THAT(text, !Contains("team add"));
  CHECK_THAT(f.reply("Platform-Ana", "team"), Contains("team add @person ROLE"));
}

TEST_CASE("a coach adds a mentioned person in a role, creating them on first mention", "[pipeline][team]") {
  OfficeFixture f;
  CHECK_THAT(f.reply("Platform-Ana", "team add @gus manager"), Contains("Added @gus to Platform as manager."));
  CHECK(roles_of(f, "gus") == std::vector<dialogs::Role>{dialogs::Role::manager});
  CHECK_THAT(f.reply("Platform-Ana", "team add @gus manager"), Contains("@gus is already a manager of Platform."));
  // The new manager can read the digest straight away.
  CHECK_THAT(f.reply("gus", "digest"), Contains("Weekly digest for Platform"));
}

TEST_CASE("a coach removes a role, and a role not held changes nothing", "[pipeline][team]") {
  OfficeFixture f;
  CHECK_THAT(f.reply("Platform-Ana", "team remove @Platform-Dan manager"),
             Contains("Dan is no longer a manager of Platform."));
  CHECK(roles_of(f, "Platform-Dan").empty());
  CHECK_THAT(f.reply("Platform-Ana", "team remove @Platform-Ben coach"),
             Contains("Ben isn't a coach of Platform, so nothing changed."));
  CHECK_THAT(f.reply("Platform-Ana", "team remove @nobody member"),
             Contains("@nobody isn't a member of Platform, so nothing changed."));
  CHECK_FALSE(storage::People(f.db).find("terminal", "local", "nobody"));
}

TEST_CASE("only coaches and admins may change the team", "[pipeline][team]") {
  OfficeFixture f;
  CHECK_THAT(f.reply("Platform-Dan", "team add @gus member"), Contains("Only the coaches and admins of Platform"));
  CHECK_THAT(f.reply("Platform-Ben", "team remove @Platform-Ana admin"), Contains("Only the coaches and admins"));
  CHECK(roles_of(f, "Platform-Ana") ==
        std::vector<dialogs::Role>{dialogs::Role::member, dialogs::Role::coach, dialogs::Role::admin});
  CHECK_FALSE(storage::People(f.db).find("terminal", "local", "gus"));
}

TEST_CASE("an unknown role or a missing mention gets the form", "[pipeline][team]") {
  OfficeFixture f;
  for (const char* text : {"team add @gus boss", "team add gus manager", "team add manager", "team remove @gus"}) {
    INFO(text);
    CHECK_THAT(f.reply("Platform-Ana", text), Contains("`team add @person ROLE` or `team remove @person ROLE`"));
  }
  CHECK_FALSE(storage::People(f.db).find("terminal", "local", "gus"));
}

TEST_CASE("the last admin cannot be removed, one of two can", "[pipeline][team]") {
  OfficeFixture f;
  CHECK_THAT(f.reply("Platform-Ana", "team remove @Platform-Ana admin"), Contains("the only admin of Platform"));
  CHECK(roles_of(f, "Platform-Ana").back() == dialogs::Role::admin);
  f.reply("Platform-Ana", "team add @Platform-Dan admin");
  CHECK_THAT(f.reply("Platform-Ana", "team remove @Platform-Ana admin"), Contains("Ana is no longer an admin of Platform."));
}

TEST_CASE("a person added as member is stamped as joining now and is missed only from then on", "[pipeline][team]") {
  OfficeFixture f;
  f.say("Platform-Ana", "team add @hal member", utc(2026, 12, 16, 9));
  CHECK_THAT(f.reply("Platform-Dan", "digest 2026-W51"), Contains("3 people have not checked in"));
  CHECK_THAT(f.reply("Platform-Dan", "digest 2026-W50"), Contains("2 people have not checked in"));
}

TEST_CASE("the team listing never shows reflections", "[pipeline][team]") {
  OfficeFixture f;
  dialogs::Reflection r;
  r.person_id = f.platform.people.at(ben);
  r.learned = "a private lesson about deadlines";
  r.at = utc(2026, 12, 1);
  storage::Reflections(f.db).add(r);
  CHECK_THAT(f.reply("Platform-Ana", "team"), !Contains("private lesson"));
  CHECK_THAT(f.reply("Platform-Dan", "digest"), !Contains("private lesson"));
}
