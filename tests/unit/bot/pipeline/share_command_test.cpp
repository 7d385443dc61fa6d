// `share` and reflection privacy, and the team digest posted in the team's bound channel.
#include <catch2/catch.hpp>

#include "bot/pipeline/scheduler.hpp"
#include "bot/pipeline/turn_runner.hpp"
#include "storage/cycles.hpp"
#include "storage/database.hpp"
#include "storage/objectives.hpp"
#include "storage/memberships.hpp"
#include "storage/outbox.hpp"
#include "storage/people.hpp"
#include "storage/reflection_shares.hpp"
#include "storage/reflections.hpp"
#include "storage/schedules.hpp"
#include "storage/team_channels.hpp"
#include "storage/teams.hpp"
#include "tests/support/clock_text.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;
using Catch::Matchers::Contains;
using dialogs::Role;

namespace {

// Slack team "Growth": U1 coach and admin, U2 and U3 members, U4 a second coach; channel C100
// is bound to it.
struct Fixture {
  test::TempDir dir;
  storage::Database db = open(dir);
  dialogs::DialogCatalog catalog;
  dialogs::TimePoint now = test::utc("2026-11-25T12:00");
  dialogs::Id team_id = storage::Teams(db).find_or_create("Growth").id;

  Fixture() {
    add("U1", {Role::coach, Role::admin});
    add("U2", {Role::member});
    add("U3", {Role::member});
    storage::ChannelBinding binding;
    binding.platform = "slack";
    binding.workspace = "T1";
    binding.channel = "C100";
    binding.team_id = team_id;
    binding.bound_at = now;
    binding.members_due_at = now + std::chrono::hours{24};
    storage::TeamChannels(db).bind(binding);
  }
  static storage::Database open(const test::TempDir& dir) {
    auto db = storage::Database::open((dir / "okr.db").string());
    db.migrate();
    return db;
  }
  dialogs::Id add(const std::string& user, std::vector<Role> roles) {
    dialogs::Person p;
    p.platform = "slack";
    p.workspace = "T1";
    p.user_ref = user;
    p.display_name = user + "-name";
    const auto id = storage::People(db).find_or_create(p).id;
    for (auto r : roles) storage::Memberships(db).grant(team_id, id, r, now);
    return id;
  }
  dialogs::Id id_of(const std::string& user) {
    return storage::People(db).find("slack", "T1", user)->id;
  }
  dialogs::Id reflect(const std::string& user, const std::string& learned) {
    dialogs::Reflection r;
    r.person_id = id_of(user);
    r.learned = learned;
    r.stop_habit = "saying yes to everything";
    r.at = now - std::chrono::hours{1};
    return storage::Reflections(db).add(r).id;
  }
  std::string say(const std::string& user, const std::string& text) {
    bot::pipeline::TurnRunner runner(db, catalog, [this] { return now; });
    dialogs::Inbound m;
    m.platform = "slack";
    m.workspace = "T1";
    m.user = user;
    m.conversation = "dm:" + user;
    m.text = text;
    std::string out;
    for (const auto& reply : runner.run(m)) out += reply.text;
    return out;
  }
  std::vector<storage::OutboxRow> queued() {
    return storage::Outbox(db).due(now + std::chrono::hours{1});
  }
  std::vector<dialogs::Id> readable_by(const std::string& user) {
    std::vector<dialogs::Id> ids;
    for (const auto& r : storage::ReflectionShares(db).readable_by(id_of(user)))
      ids.push_back(r.id);
    return ids;
  }
};

}  // namespace

TEST_CASE("a reflection is private to its author until they share it", "[pipeline][share]") {
  Fixture f;
  const auto mine = f.reflect("U2", "small bets beat big plans");
  CHECK(f.readable_by("U2") == std::vector<dialogs::Id>{mine});
  // Neither the coach nor another member can read it.
  CHECK(f.readable_by("U1").empty());
  CHECK(f.readable_by("U3").empty());
  CHECK(f.queued().empty());
}

TEST_CASE("share sends the latest reflection to the team's coaches, once", "[pipeline][share]") {
  Fixture f;
  const auto id = f.reflect("U2", "small bets beat big plans");
  CHECK_THAT(f.say("U2", "share"), Contains("Shared your latest reflection with U1-name"));
  const auto rows = f.queued();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].address.platform == "slack");
  CHECK(rows[0].address.user == "U1");  // the coach's DM, not a channel
  CHECK_THAT(rows[0].message.text, Contains("U2-name shared a reflection with you"));
  CHECK_THAT(rows[0].message.text, Contains("small bets beat big plans"));
  CHECK(storage::Reflections(f.db).latest(f.id_of("U2"))->shared_with_coach);
  CHECK(f.readable_by("U1") == std::vector<dialogs::Id>{id});
  CHECK(f.readable_by("U3").empty());  // a member still sees nothing of it
  // Again: nothing is sent twice.
  CHECK_THAT(f.say("U2", "share"), Contains("already has your latest reflection"));
  CHECK(f.queued().size() == 1);
}

TEST_CASE("a coach sees only the reflections shared with them", "[pipeline][share]") {
  Fixture f;
  const auto shared = f.reflect("U2", "ask earlier");
  f.reflect("U3", "kept to myself");
  f.say("U2", "share");
  CHECK(f.readable_by("U1") == std::vector<dialogs::Id>{shared});
  // A coach who joins later has not been shared with.
  f.add("U4", {Role::coach});
  CHECK(f.readable_by("U4").empty());
}

TEST_CASE("share without a reflection or without a coach sends nothing", "[pipeline][share]") {
  Fixture f;
  CHECK_THAT(f.say("U2", "share"), Contains("no reflection to share yet"));
  storage::Memberships(f.db).revoke(f.team_id, f.id_of("U1"), Role::coach);
  f.reflect("U2", "something");
  CHECK_THAT(f.say("U2", "share"), Contains("has no coach yet"));
  CHECK(f.queued().empty());
  CHECK_FALSE(storage::Reflections(f.db).latest(f.id_of("U2"))->shared_with_coach);
}

TEST_CASE("a coach schedules the digest in the team's channel; it posts there once",
          "[pipeline][share][channel-digest]") {
  Fixture f;
  storage::Memberships(f.db).grant(f.team_id, f.add("U5", {}), Role::manager, f.now);
  // Something to report: one key result in the current cycle.
  dialogs::Objective o;
  o.person_id = f.id_of("U2");
  o.team_id = f.team_id;
  o.cycle_id = storage::Cycles(f.db).current(f.team_id, {}, f.now).id;
  o.text = "Customers find their way on their own";
  o.created_at = f.now;
  dialogs::KeyResult kr;
  kr.text = "Self-serve setups from 40% to 60%";
  kr.baseline = 40;
  kr.target = 60;
  kr.unit = "%";
  o.key_results.push_back(kr);
  storage::Objectives(f.db).add(o);
  CHECK_THAT(f.say("U1", "schedule digest for #C100 every mon at 09:00"), Contains("Done"));
  dialogs::Schedule digest;
  for (const auto& s : storage::Schedules(f.db).of_team(f.team_id)) {
    if (!s.channel.empty())
      digest = s;
  }
  REQUIRE(digest.channel == "C100");
  CHECK(digest.person_id == 0);

  bot::pipeline::SchedulerSettings settings;
  const auto items =
      bot::pipeline::compose_firing(f.db, digest, *digest.next_due_at, f.now, settings);
  REQUIRE(items.size() == 1);  // one post in the channel, not one DM per manager
  CHECK(items[0].address.conversation == "C100");
  CHECK(items[0].address.workspace == "T1");
  CHECK(items[0].address.user.empty());
}

TEST_CASE("a channel digest needs a coach and the team's own channel", "[pipeline][share][channel-digest]") {
  Fixture f;
  CHECK_THAT(f.say("U2", "schedule digest for #C100 every mon at 09:00"),
             Contains("Only a coach or admin"));
  CHECK_THAT(f.say("U1", "schedule digest for #C999 every mon at 09:00"),
             Contains("isn't Growth's channel"));
  CHECK_THAT(f.say("U1", "schedule checkin for #C100 every mon at 09:00"),
             Contains("Only the team digest can go to a channel"));
  for (const auto& s : storage::Schedules(f.db).of_team(f.team_id)) CHECK(s.channel.empty());
}

TEST_CASE("a yes to the reflect dialog's sharing question reaches the coach without `share`",
          "[pipeline][share]") {
  Fixture f;
  // The shipped dialog's shape in brief: a learning, the sharing question, the save.
  const std::string reflect = R"({"name": "reflect", "version": 1, "title": "Reflect",
    "help": "Look back on the cycle.", "start": "learned", "nodes": [
    {"id": "learned", "kind": "ask", "variable": "learned", "text": "What did you learn?",
     "next": "share"},
    {"id": "share", "kind": "ask", "validator": "yes_no", "variable": "share_with_coach",
     "text": "May your coach read this reflection?", "next": "save"},
    {"id": "save", "kind": "action", "action": "save_reflection", "next": "done"},
    {"id": "done", "kind": "end", "text": "Saved."}]})";
  const auto load = dialogs::load_catalog({{"reflect", reflect}}, "");
  REQUIRE(load.ok());
  auto turn = [&](const std::string& user, const std::string& text) {
    bot::pipeline::TurnRunner runner(f.db, load.catalog, [&f] { return f.now; });
    dialogs::Inbound m;
    m.platform = "slack";
    m.workspace = "T1";
    m.user = user;
    m.conversation = "dm:" + user;
    m.text = text;
    std::string out;
    for (const auto& reply : runner.run(m)) out += reply.text;
    return out;
  };
  CHECK_THAT(turn("U2", "reflect"), Contains("What did you learn?"));
  CHECK_THAT(turn("U2", "ship smaller"), Contains("May your coach read this reflection?"));
  CHECK_THAT(turn("U2", "yes"), Contains("Saved."));
  const auto rows = f.queued();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].address.user == "U1");
  CHECK_THAT(rows[0].message.text, Contains("ship smaller"));
  // A no keeps the next one private.
  turn("U3", "reflect");
  turn("U3", "keep it to myself");
  turn("U3", "no");
  CHECK(f.queued().size() == 1);
  CHECK(f.readable_by("U1").size() == 1);
}
