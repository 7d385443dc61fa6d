// Team setup from a channel (bot/pipeline/setup_commands.hpp): binding, members from the
// channel, the managers/coaches questions in the DM, and who may run it again.
#include <catch2/catch.hpp>

#include <algorithm>

#include "bot/pipeline/scheduler.hpp"
#include "bot/pipeline/setup_commands.hpp"
#include "storage/database.hpp"
#include "storage/memberships.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
#include "storage/team_channels.hpp"
#include "storage/teams.hpp"
#include "storage/turn_commit.hpp"
#include "tests/support/clock_text.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;
using bot::pipeline::ChannelRoster;
using Catch::Matchers::Contains;
using dialogs::Role;

namespace {

struct SetupFixture {
  test::TempDir dir;
  storage::Database db = open(dir);
  dialogs::TimePoint now = test::utc("2026-11-30T10:00");

  static storage::Database open(const test::TempDir& dir) {
    auto db = storage::Database::open((dir / "okr.db").string());
    db.migrate();
    return db;
  }

  dialogs::Person person(const std::string& user, const std::string& zone = "UTC") {
    dialogs::Person p;
    p.platform = "slack";
    p.workspace = "T1";
    p.user_ref = user;
    p.display_name = user;
    p.time_zone = zone;
    return storage::People(db).find_or_create(p);
  }

  ChannelRoster roster(std::vector<std::string> users) {
    ChannelRoster r;
    r.platform = "slack";
    r.workspace = "T1";
    r.channel = "C100";
    r.name = "growth";
    for (auto& u : users) r.people.push_back({u, u + "-name", "Europe/Berlin"});
    return r;
  }

  // Runs in one transaction, as the Slack hook does.
  std::string set_up(const std::string& user, const ChannelRoster& r) {
    const auto who = person(user, "Europe/Berlin");
    std::string text;
    storage::commit_command(db, std::nullopt, now, [&] {
      for (const auto& m : bot::pipeline::set_up_channel_team(db, who, r, now)) text += m.text;
      return std::vector<storage::OutboxItem>{};
    });
    return text;
  }

  std::optional<std::string> answer(const std::string& user, const std::string& text,
                                    std::optional<dialogs::Action> action = std::nullopt) {
    dialogs::Inbound m;
    m.platform = "slack";
    m.workspace = "T1";
    m.user = user;
    m.conversation = "dm:" + user;
    m.text = text;
    m.action = std::move(action);
    std::optional<std::string> out;
    storage::commit_command(db, std::nullopt, now, [&] {
      if (auto replies = bot::pipeline::answer_setup_question(db, m, now)) {
        out = std::string();
        for (const auto& r : *replies) *out += r.text;
      }
      return std::vector<storage::OutboxItem>{};
    });
    return out;
  }

  dialogs::Id team_id() {
    const auto binding = storage::TeamChannels(db).find("slack", "T1", "C100");
    REQUIRE(binding);
    return binding->team_id;
  }

  std::vector<Role> roles(const std::string& user) {
    return storage::Memberships(db).roles(team_id(), person(user).id);
  }
};

}  // namespace

TEST_CASE("channel setup text is read only in its neutral form", "[pipeline][team-setup]") {
  const auto request = bot::pipeline::channel_setup_request("setup channel C100 growth");
  REQUIRE(request);
  CHECK(request->channel == "C100");
  CHECK(request->name == "growth");
  CHECK(bot::pipeline::channel_setup_request("setup channel G7")->name.empty());
  CHECK_FALSE(bot::pipeline::channel_setup_request("setup"));
  CHECK_FALSE(bot::pipeline::channel_setup_request("setup my team please"));
  CHECK_FALSE(bot::pipeline::channel_setup_request("setup channel C1 a b"));
}

TEST_CASE("setup in a channel makes its people the team's members and the setter its admin",
          "[pipeline][team-setup]") {
  SetupFixture f;
  const auto text = f.set_up("U1", f.roster({"U1", "U2", "U3"}));
  CHECK_THAT(text, Contains("#growth now has its OKR team, growth"));
  CHECK_THAT(text, Contains("the 3 people in the channel are its members"));
  CHECK_THAT(text, Contains("Who manages this team?"));
  CHECK(f.roles("U1") == std::vector<Role>{Role::member, Role::admin});
  CHECK(f.roles("U2") == std::vector<Role>{Role::member});
  // Their names and zones come from the channel; the team takes the setter's zone.
  CHECK(storage::People(f.db).find("slack", "T1", "U2")->display_name == "U2-name");
  CHECK(storage::Teams(f.db).by_id(f.team_id())->settings.time_zone == "Europe/Berlin");
  // Each member gets the default check-in nudges at once.
  const auto schedules = storage::Schedules(f.db).of_team(f.team_id());
  CHECK(std::count_if(schedules.begin(), schedules.end(), [](const dialogs::Schedule& s) {
          return s.kind == dialogs::ScheduleKind::checkin;
        }) == 3);
}

TEST_CASE("only people in the channel can set up its team", "[pipeline][team-setup]") {
  SetupFixture f;
  CHECK_THAT(f.set_up("U9", f.roster({"U1", "U2"})), Contains("Only people in #growth"));
  CHECK_FALSE(storage::TeamChannels(f.db).find("slack", "T1", "C100"));
}

TEST_CASE("setup again is for the team's coaches and admins, and re-reads the channel",
          "[pipeline][team-setup]") {
  SetupFixture f;
  f.set_up("U1", f.roster({"U1", "U2", "U3"}));
  CHECK(f.answer("U1", "cancel"));
  // A plain member may not re-run it; nothing changes.
  CHECK_THAT(f.set_up("U2", f.roster({"U1", "U2"})), Contains("already has its team"));
  CHECK(f.roles("U3") == std::vector<Role>{Role::member});
  // The admin may: U3 left the channel, U4 joined.
  const auto text = f.set_up("U1", f.roster({"U1", "U2", "U4"}));
  CHECK_THAT(text, Contains("1 joined and 1 left"));
  CHECK(f.roles("U3").empty());
  CHECK(f.roles("U4") == std::vector<Role>{Role::member});
  CHECK(f.roles("U1") == std::vector<Role>{Role::member, Role::admin});
}

TEST_CASE("leaving the channel takes the member role only; other roles stay",
          "[pipeline][team-setup]") {
  SetupFixture f;
  f.set_up("U1", f.roster({"U1", "U2"}));
  f.answer("U1", "<@U2>");  // U2 manages the team
  const auto change = bot::pipeline::apply_channel_roster(f.db, f.team_id(), f.roster({"U1"}), f.now);
  CHECK(change.left == 1);
  CHECK(change.joined == 0);
  CHECK(f.roles("U2") == std::vector<Role>{Role::manager});
  // The next daily read is a day later.
  CHECK(test::iso(storage::TeamChannels(f.db).find("slack", "T1", "C100")->members_due_at) ==
        "2026-12-01T10:00");
}

TEST_CASE("the setup questions take managers, then coaches, by mention or skip",
          "[pipeline][team-setup]") {
  SetupFixture f;
  f.set_up("U1", f.roster({"U1", "U2", "U3"}));
  const auto coaches_question = f.answer("U1", "<@U7|maria> and @U8");
  REQUIRE(coaches_question);
  CHECK_THAT(*coaches_question, Contains("are managers of growth"));
  CHECK_THAT(*coaches_question, Contains("who coaches the team?"));
  CHECK(f.roles("U7") == std::vector<Role>{Role::manager});
  CHECK(f.roles("U8") == std::vector<Role>{Role::manager});
  // The Skip button answers the coaches question; setup ends with the program's times.
  const auto done = f.answer("U1", "", dialogs::Action{bot::pipeline::kTeamSetupQuestion, "skip"});
  REQUIRE(done);
  CHECK_THAT(*done, Contains("That's growth set up"));
  CHECK_THAT(*done, Contains("Mondays at 09:00"));
  CHECK_FALSE(storage::TeamChannels(f.db).pending(f.person("U1").id));
  // Nothing is open any more: the next message is an ordinary turn.
  CHECK_FALSE(f.answer("U1", "@U9"));
}

TEST_CASE("a typed skip moves on, anything else is asked again, cancel stops",
          "[pipeline][team-setup]") {
  SetupFixture f;
  f.set_up("U1", f.roster({"U1"}));
  CHECK_THAT(*f.answer("U1", "maria please"), Contains("I was looking for @mentions"));
  CHECK(storage::TeamChannels(f.db).pending(f.person("U1").id)->question ==
        storage::SetupQuestion::managers);
  CHECK_THAT(*f.answer("U1", "skip"), Contains("who coaches the team?"));
  CHECK_THAT(*f.answer("U1", "@U5"), Contains("@U5 is a coach of growth now"));
  CHECK(f.roles("U5") == std::vector<Role>{Role::coach});

  f.set_up("U1", f.roster({"U1"}));
  CHECK_THAT(*f.answer("U1", "Cancel"), Contains("leave the roles as they are"));
  CHECK_FALSE(f.answer("U1", "skip"));  // the `skip` command is free again
}

TEST_CASE("a setup question two days old is not taken as an answer", "[pipeline][team-setup]") {
  SetupFixture f;
  f.set_up("U1", f.roster({"U1"}));
  f.now += std::chrono::hours{49};
  CHECK_FALSE(f.answer("U1", "@U2"));
  CHECK_FALSE(storage::People(f.db).find("slack", "T1", "U2"));
}

TEST_CASE("a second channel with the same name gets a team of its own", "[pipeline][team-setup]") {
  SetupFixture f;
  f.set_up("U1", f.roster({"U1"}));
  auto other = f.roster({"U2"});
  other.channel = "C200";
  CHECK_THAT(f.set_up("U2", other), Contains("growth (C200)"));
  CHECK(storage::TeamChannels(f.db).find("slack", "T1", "C200")->team_id != f.team_id());
}

TEST_CASE("the scheduler pass runs its chore first, and a failing chore does not stop it",
          "[pipeline][team-setup]") {
  SetupFixture f;
  f.set_up("U1", f.roster({"U1"}));
  bot::pipeline::SchedulerSettings settings;
  std::vector<std::string> seen;
  settings.before_pass = [&](storage::Database&, dialogs::TimePoint now) {
    seen.push_back(test::iso(now));
    throw std::runtime_error("the platform is away");
  };
  // U1 (Europe/Berlin) is nudged on Mondays at 09:00 local, 08:00 UTC: due an hour before.
  const auto report = bot::pipeline::run_scheduler_pass(f.db, test::utc("2026-12-07T09:00"), settings);
  CHECK(seen == std::vector<std::string>{"2026-12-07T09:00"});
  CHECK(report.fired >= 1);
}
