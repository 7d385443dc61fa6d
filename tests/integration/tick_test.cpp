// `okr-coach tick` as cron runs it: the real binary against the fake Slack Web API.
#include <catch2/catch.hpp>

#include "storage/database.hpp"
#include "storage/memberships.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
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
