// `okr-coach tick` as cron runs it: the real binary against the fake Slack Web API.
#include <catch2/catch.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "storage/database.hpp"
#include "storage/memberships.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
#include "storage/team_channels.hpp"
#include "storage/teams.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;
using okr::test::FakeSlack;
using okr::test::Process;
using okr::test::ProcessOptions;
using okr::test::TempDir;

namespace {

// A team whose default schedules were made on Wed 2026-11-25: a Slack member U7 (UTC) and a
// terminal member, nudged Mondays at 09:00.
std::string prepare(const TempDir& dir) {
  const auto path = (dir / "okr-coach.db").string();
  auto db = storage::Database::open(path);
  db.migrate();
  const auto team = storage::Teams(db).find_or_create("Platform");
  for (const auto& [platform, user] : {std::pair{"terminal", "tess"}, std::pair{"slack", "U7"}}) {
    dialogs::Person p;
    p.platform = platform;
    p.workspace = platform == std::string("slack") ? "T1" : "local";
    p.user_ref = user;
    storage::Memberships(db).join(team.id, storage::People(db).find_or_create(p).id);
  }
  storage::sync_default_schedules(
      db, team.id, dialogs::TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25}});
  return path;
}

struct Run {
  int code = -1;
  std::string err;
};

Run tick(const FakeSlack& slack, const std::string& db, const std::string& now) {
  ProcessOptions options;
  options.args = {"tick", "--now", now, "--db", db, "--log-format", "text"};
  options.env = {{"SLACK_BOT_TOKEN", slack.token()}, {"SLACK_API_URL", slack.api_url()}};
  Process process(OKR_COACH_BINARY, options);
  const auto code = process.wait_exit();
  REQUIRE(code.has_value());
  return {*code, process.err()};
}

std::vector<std::string> posted_texts(const FakeSlack& slack) {
  std::vector<std::string> out;
  for (const auto& call : slack.calls_to("chat.postMessage"))
    out.push_back(call.json.value("text", call.body));
  return out;
}

}  // namespace

TEST_CASE("tick posts a Slack member's check-in nudge once, and a second tick for the same instant posts nothing",
          "[tick]") {
  TempDir dir;
  FakeSlack slack;
  const auto db = prepare(dir);

  const auto first = tick(slack, db, "2026-11-30T09:00:00Z");
  INFO(first.err);
  CHECK(first.code == 0);
  const auto texts = posted_texts(slack);
  REQUIRE(texts.size() == 1);
  CHECK_THAT(texts[0], Catch::Contains("Time for your weekly check-in"));
  const auto post = slack.calls_to("chat.postMessage").at(0);
  CHECK_THAT(post.body, Catch::Contains("Snooze 2h"));
  CHECK_THAT(post.body, Catch::Contains("Skip this week"));

  const auto second = tick(slack, db, "2026-11-30T09:00:00Z");
  INFO(second.err);
  CHECK(second.code == 0);
  CHECK(posted_texts(slack).size() == 1);
}

TEST_CASE("tick before anything is due posts nothing and exits 0", "[tick]") {
  TempDir dir;
  FakeSlack slack;
  const auto db = prepare(dir);
  CHECK(tick(slack, db, "2026-11-30T08:59:00Z").code == 0);
  CHECK(slack.calls_to("chat.postMessage").empty());
}

TEST_CASE("tick with an unreadable --now exits 2 naming the flag", "[tick]") {
  TempDir dir;
  FakeSlack slack;
  const auto db = prepare(dir);
  const auto run = tick(slack, db, "next monday");
  CHECK(run.code == 2);
  CHECK_THAT(run.err, Catch::Contains("--now"));
  CHECK_THAT(run.err, Catch::Contains("next monday"));
  CHECK(slack.calls().empty());
}

TEST_CASE("tick after downtime sends a recent missed nudge once and skips an old one", "[tick]") {
  TempDir dir;
  FakeSlack slack;
  const auto db = prepare(dir);
  SECTION("11 hours late: sent once") {
    CHECK(tick(slack, db, "2026-11-30T20:00:00Z").code == 0);
    CHECK(posted_texts(slack).size() == 1);
    CHECK(tick(slack, db, "2026-11-30T20:05:00Z").code == 0);
    CHECK(posted_texts(slack).size() == 1);
  }
  SECTION("two days late: skipped and logged, nothing posted") {
    const auto run = tick(slack, db, "2026-12-02T09:00:00Z");
    CHECK(run.code == 0);
    CHECK_THAT(run.err, Catch::Contains("skipped"));
    CHECK(slack.calls_to("chat.postMessage").empty());
  }
}

TEST_CASE("tick reads a bound Slack channel's members when due: joiners in, leavers out, once a "
          "day",
          "[tick]") {
  TempDir dir;
  FakeSlack slack;
  slack.answer_method("conversations.members", [](const nlohmann::json&) {
    return nlohmann::json{{"ok", true},
                          {"members", {"U1", "U2"}},
                          {"response_metadata", {{"next_cursor", ""}}}};
  });
  const auto path = (dir / "okr-coach.db").string();
  dialogs::Id team_id = 0;
  {
    auto db = storage::Database::open(path);
    db.migrate();
    team_id = storage::Teams(db).find_or_create("Growth").id;
    for (const auto* user : {"U1", "U9"}) {  // U9 has left the channel since the last read
      dialogs::Person p;
      p.platform = "slack";
      p.workspace = "T1";
      p.user_ref = user;
      storage::Memberships(db).join(team_id, storage::People(db).find_or_create(p).id);
    }
    storage::ChannelBinding binding;
    binding.platform = "slack";
    binding.workspace = "T1";
    binding.channel = "C100";
    binding.team_id = team_id;
    binding.bound_at = dialogs::TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25}};
    binding.members_due_at = binding.bound_at + std::chrono::days{1};
    storage::TeamChannels(db).bind(binding);
  }

  const auto run = tick(slack, path, "2026-11-30T09:00:00Z");
  INFO(run.err);
  CHECK(run.code == 0);
  REQUIRE(slack.calls_to("conversations.members").size() == 1);
  CHECK(slack.calls_to("conversations.members").at(0).body.find("C100") != std::string::npos);

  auto db = storage::Database::open(path);
  std::vector<std::string> members;
  for (const auto& member : storage::Memberships(db).members(team_id))
    members.push_back(member.person.user_ref);
  std::sort(members.begin(), members.end());
  CHECK(members == std::vector<std::string>{"U1", "U2"});

  // Read for the day: the next tick leaves the channel alone.
  CHECK(tick(slack, path, "2026-11-30T09:01:00Z").code == 0);
  CHECK(slack.calls_to("conversations.members").size() == 1);

  // A week on, the check-in nudges go to the channel's people: the newcomer too, not the leaver.
  CHECK(tick(slack, path, "2026-12-07T09:00:00Z").code == 0);
  std::vector<std::string> nudged;
  for (const auto& call : slack.calls_to("conversations.open"))
    nudged.push_back(call.json.is_object() ? call.json.value("users", "") : call.body);
  std::sort(nudged.begin(), nudged.end());
  nudged.erase(std::unique(nudged.begin(), nudged.end()), nudged.end());
  CHECK(nudged == std::vector<std::string>{"U1", "U2"});
}
