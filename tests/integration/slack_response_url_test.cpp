// Answers through a slash command's response_url, against the fake Slack. Slack neither
// deduplicates these posts nor lets us look one up afterwards (an ephemeral answer is in no
// history), so the coach re-sends one only when Slack provably did not act on it.
#include <chrono>
#include <map>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "bot/slack/form.hpp"
#include "bot/slack/signature.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/served_coach.hpp"
#include "tests/support/slack_posts.hpp"
#include "tests/support/temp_dir.hpp"

using okr::test::Fault;
using okr::test::FakeSlack;
using okr::test::FaultKind;
using okr::test::TempDir;

namespace {

const std::string kSecret = "response-url-signing-secret-0123";

class SlashCoach : public okr::test::ServedCoach {
 public:
  SlashCoach(const TempDir& dir, const FakeSlack& slack)
      : ServedCoach(dir, {{"SLACK_SIGNING_SECRET", kSecret},
                          {"SLACK_BOT_TOKEN", slack.token()},
                          {"SLACK_API_URL", slack.api_url()}}),
        slack_(slack) {}

  // `/okr <text>` typed in a channel, its answer due at the response_url ".../response/<id>".
  void command(const std::string& text, const std::string& id) {
    using okr::bot::slack::form_encode;
    const auto ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    const auto body = "token=x&team_id=T0URL&team_domain=url&channel_id=C0GENERAL"
                      "&channel_name=general&user_id=U0PERSON&user_name=ada&command=%2Fokr&text=" +
                      form_encode(text) + "&response_url=" + form_encode(slack_.response_url(id)) +
                      "&trigger_id=trigger-" + std::to_string(++commands_) + "-" + ts +
                      "&api_app_id=A0URL";
    const auto reply =
        request("POST", "/slack/commands", body,
                {{"X-Slack-Request-Timestamp", ts},
                 {"X-Slack-Signature", okr::bot::slack::compute_signature(kSecret, ts, body)},
                 {"Content-Type", "application/x-www-form-urlencoded"}});
    REQUIRE(reply.status == 200);
  }

  // Waits until /metrics shows `sample`; the deadline only stops a broken run.
  void await_metric(const std::string& sample) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (metrics().find(sample) == std::string::npos) {
      if (std::chrono::steady_clock::now() >= until)
        FAIL("/metrics never showed " << sample << "\n" << metrics() << "\nstderr:\n" << log());
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

 private:
  const FakeSlack& slack_;
  int commands_ = 0;
};

std::size_t calls_to_path(const FakeSlack& slack, const std::string& path) {
  std::size_t count = 0;
  for (const auto& call : slack.calls_to("response_url"))
    count += call.path == path ? 1 : 0;
  return count;
}

}  // namespace

TEST_CASE("a response_url answer whose connection drops after the POST arrived is not sent "
          "again, and is given up with its reason",
          "[slack][faults][response_url]") {
  TempDir dir;
  FakeSlack slack;
  SlashCoach coach(dir, slack);
  // The fake reads the whole POST, then closes the connection without an answer: Slack may
  // have shown the answer, and nothing can tell us whether it did.
  slack.fail_next_to("response_url", 1, Fault{FaultKind::dropped_connection});
  coach.command("list", "unknown-1");

  coach.await_metric("okr_coach_outbox_dead_letters_total{platform=\"slack\"} 1");
  // Given up for good (dead rows are never sent again), so this count is final.
  const auto calls = slack.calls_to("response_url");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].path == "/response/unknown-1");
  CHECK_FALSE(calls[0].accepted);

  {
    SQLite::Database db((dir / "coach.db").string(), SQLite::OPEN_READONLY);
    SQLite::Statement row(db, "SELECT status, attempts, last_error FROM outbox WHERE kind = "
                              "'response_url'");
    REQUIRE(row.executeStep());
    CHECK(row.getColumn(0).getString() == "dead");
    CHECK(row.getColumn(1).getInt() == 1);
    CHECK(row.getColumn(2).getString().find("outcome unknown") != std::string::npos);
    CHECK_FALSE(row.executeStep());
  }
  const auto log = coach.log();
  CHECK(log.find("outcome unknown") != std::string::npos);
  CHECK(log.find("unknown-1") == std::string::npos);  // the URL is a credential: never logged

  // The next command's answer goes out as usual, and the dropped one still went only once.
  coach.command("list", "after-1");
  const auto later = okr::test::await_calls(slack, "response_url", 2);
  REQUIRE(later.size() == 2);
  CHECK(later[1].path == "/response/after-1");
  CHECK(later[1].accepted);
  CHECK(calls_to_path(slack, "/response/unknown-1") == 1);
}

TEST_CASE("a response_url answer refused with a 500 is sent again, since Slack did not act on it",
          "[slack][faults][response_url]") {
  TempDir dir;
  FakeSlack slack;
  SlashCoach coach(dir, slack);
  slack.fail_next_to("response_url", 1, Fault{FaultKind::server_error});
  coach.command("list", "refused-1");

  const auto calls = okr::test::await_calls(slack, "response_url", 2);
  REQUIRE(calls.size() == 2);
  CHECK_FALSE(calls[0].accepted);
  CHECK(calls[1].accepted);
  CHECK(calls[1].path == "/response/refused-1");
  CHECK(calls[1].body == calls[0].body);
  CHECK(coach.metrics().find("okr_coach_outbox_dead_letters_total{platform=\"slack\"} 1") ==
        std::string::npos);
}
