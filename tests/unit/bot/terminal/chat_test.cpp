#include "bot/terminal/chat.hpp"

#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "storage/database.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
#include "storage/teams.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;
namespace terminal = okr::bot::terminal;

namespace {

dialogs::TimePoint day(unsigned d) {
  using namespace std::chrono;
  return time_point_cast<seconds>(sys_days{year{2026} / November / d} + hours{9});
}

struct Run {
  int code;
  std::string out;
};

Run chat(const test::TempDir& dir, const std::string& input, dialogs::TimePoint now, const std::string& team = "") {
  config::Config config;
  config.db_path = (dir / "okr-coach.db").string();
  config.dialogs_dir = "";  // the shipped dialogs only
  terminal::ChatOptions options;
  options.user = "ada";
  options.team = team;
  std::istringstream in(input);
  std::ostringstream out;
  const int code = terminal::run_chat(config, options, in, out, [now] { return now; });
  return {code, out.str()};
}

}  // namespace

TEST_CASE("chat ignores blank lines and exits 0 at the end of input", "[chat]") {
  test::TempDir dir;
  const auto run = chat(dir, "\n   \n\r\n", day(2));
  CHECK(run.code == 0);
  CHECK(run.out == "Hello ada. Type `help` to see what I can do.\n\n");
}

TEST_CASE("chat resumes a dialog from an earlier run at the question it was on", "[chat]") {
  test::TempDir dir;
  const auto first = chat(dir, "draft\nCalm, boring releases\n", day(2));
  CHECK_THAT(first.out, Catch::Contains("Why does that matter to you"));
  const auto second = chat(dir, "", day(3));
  CHECK_THAT(second.out, Catch::Contains("Welcome back, ada. We were in the middle of `draft`."));
  CHECK_THAT(second.out, Catch::Contains("Calm, boring releases"));
  CHECK_THAT(second.out, Catch::EndsWith("Why does that matter to you, and why now?\n\n"));
}

TEST_CASE("a dialog left idle longer than dialog_idle_days is closed on return", "[chat]") {
  test::TempDir dir;
  chat(dir, "draft\n", day(2));
  const auto later = chat(dir, "", day(20));  // default idle limit: 7 days
  CHECK_THAT(later.out, Catch::Contains("Welcome back"));
  CHECK_THAT(later.out, Catch::Contains("It's been 18 days since we last worked on"));
  CHECK_THAT(later.out, !Catch::Contains("What do you want to achieve"));
  const auto again = chat(dir, "", day(21));
  CHECK_THAT(again.out, Catch::StartsWith("Hello ada."));  // nothing left to resume
}

TEST_CASE("the founder of a new team may run setup straight away", "[chat]") {
  test::TempDir dir;
  const auto run = chat(dir, "setup\n", day(2), "Growth");
  CHECK_THAT(run.out, Catch::Contains("first member of team Growth"));
  CHECK_THAT(run.out, !Catch::Contains("is for its coach or an admin"));
  CHECK_THAT(run.out, Catch::Contains("runs OKRs"));
}

TEST_CASE("chat exits 2 when the database cannot be opened", "[chat]") {
  test::TempDir dir;
  config::Config config;
  config.db_path = (dir / "not-a-dir").string() + "/x.db";
  {
    std::ofstream blocker(dir / "not-a-dir");  // a file where a directory is needed
    blocker << "x";
  }
  terminal::ChatOptions options;
  options.user = "ada";
  std::istringstream in("help\n");
  std::ostringstream out;
  CHECK(terminal::run_chat(config, options, in, out) == 2);
  CHECK(out.str().empty());
}

TEST_CASE("joining a team in the chat gives the person the team's default check-in nudge at once",
          "[chat]") {
  test::TempDir dir;
  REQUIRE(chat(dir, "", day(2), "platform").code == 0);

  auto db = storage::Database::open((dir / "okr-coach.db").string());
  const auto team = storage::Teams(db).by_name("platform");
  REQUIRE(team);
  const auto ada = storage::People(db).find("terminal", "local", "ada");
  REQUIRE(ada);
  const auto reaching = storage::Schedules(db).reaching(ada->id, {team->id});
  const auto nudge = std::find_if(reaching.begin(), reaching.end(), [&](const auto& s) {
    return s.kind == dialogs::ScheduleKind::checkin && s.person_id == ada->id && s.team_default;
  });
  REQUIRE(nudge != reaching.end());
  REQUIRE(nudge->next_due_at);
  CHECK(*nudge->next_due_at > day(2));  // the next Monday 09:00 after joining, not in the past
}
