// The Slack side of team setup against the fake Web API and a real database: `/okr setup` in a
// channel reads the channel, binds the team and asks in the DM; the DM's answer is taken while
// the question is open and is an ordinary turn otherwise; the daily read follows the channel.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "bot/app/channel_runtime.hpp"
#include "bot/app/slack_team_setup.hpp"
#include "bot/http/client.hpp"
#include "bot/pipeline/clock.hpp"
#include "bot/slack/own_identity.hpp"
#include "bot/slack/web_api.hpp"
#include "storage/database.hpp"
#include "storage/inbox.hpp"
#include "storage/memberships.hpp"
#include "storage/outbox.hpp"
#include "storage/people.hpp"
#include "storage/team_channels.hpp"
#include "tests/support/clock_text.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

struct Fixture {
  test::TempDir dir;
  storage::Database db = open(dir);
  test::FakeSlack fake;
  bot::http::HttpClient client;
  bot::slack::WebApi api{client, fake.api_url(), fake.token()};
  bot::slack::OwnIdentity self{"UBOT0001", "B1"};
  bot::app::WorkspaceApi api_for() {
    return [this](const std::string& workspace) -> std::optional<bot::slack::WebApi> {
      if (workspace != "T1")
        return std::nullopt;
      return api;
    };
  }
  std::vector<std::string> channel{"U1", "U2", "UBOT0001"};
  int entries = 0;

  Fixture() {
    fake.answer_method("conversations.members", [this](const json&) {
      return json{{"ok", true}, {"members", channel}, {"response_metadata", {{"next_cursor", ""}}}};
    });
  }
  static storage::Database open(const test::TempDir& dir) {
    auto db = storage::Database::open((dir / "okr.db").string());
    db.migrate();
    return db;
  }
  bot::app::InboundWork work(const std::string& user, const std::string& text) {
    bot::app::InboundWork w;
    w.kind = "turn";
    w.event_key = "E" + std::to_string(++entries);
    w.message.platform = "slack";
    w.message.workspace = "T1";
    w.message.user = user;
    w.message.conversation = "dm:" + user;
    w.message.text = text;
    w.reply_to.platform = "slack";
    w.reply_to.workspace = "T1";
    w.reply_to.conversation = user;
    w.reply_to.user = user;
    return w;
  }
  // Records the entry as the runtime would, then runs the hook; the replies it queued.
  std::optional<std::string> run(const std::string& user, const std::string& text) {
    const auto w = work(user, text);
    const auto id = storage::Inbox(db).record(w.event_key, w.message, test::utc("2026-11-30T10:00")).id;
    if (!bot::app::run_slack_team_setup(db, w, id, api, self))
      return std::nullopt;
    CHECK(storage::Inbox(db).find(id)->status == storage::InboxStatus::done);
    std::string out;
    for (const auto& row : storage::Outbox(db).due(test::utc("2100-01-01T00:00"))) {
      out += row.message.text;
      storage::Outbox(db).mark_sent(row.id, test::utc("2026-11-30T10:00"));
    }
    return out;
  }
};

}  // namespace

TEST_CASE("slack: setup in a channel binds it and asks for managers in the DM",
          "[slack][team-setup]") {
  Fixture f;
  const auto reply = f.run("U1", "setup channel C100 growth");
  REQUIRE(reply);
  CHECK_THAT(*reply, Contains("#growth now has its OKR team"));
  CHECK_THAT(*reply, Contains("the 2 people in the channel"));  // not the coach itself
  const auto binding = storage::TeamChannels(f.db).find("slack", "T1", "C100");
  REQUIRE(binding);
  CHECK(storage::Memberships(f.db).member_count(binding->team_id) == 2);
  CHECK(f.fake.calls_to("conversations.members").size() == 1);

  // The DM's next message answers the question; after the last one, messages are turns again.
  CHECK_THAT(*f.run("U1", "<@U7>"), Contains("who coaches the team?"));
  CHECK_THAT(*f.run("U1", "skip"), Contains("That's growth set up"));
  CHECK_FALSE(f.run("U1", "skip"));
  CHECK_FALSE(f.run("U2", "hello"));  // nobody asked U2 anything
}

TEST_CASE("slack: a channel the coach was not invited to gets a kind pointer, nothing bound",
          "[slack][team-setup]") {
  Fixture f;
  f.fake.answer_method("conversations.members",
                       [](const json&) { return json{{"ok", false}, {"error", "not_in_channel"}}; });
  const auto reply = f.run("U1", "setup channel C100 growth");
  REQUIRE(reply);
  CHECK_THAT(*reply, Contains("Invite me with `/invite @OKR Coach`"));
  CHECK_FALSE(storage::TeamChannels(f.db).find("slack", "T1", "C100"));
}

TEST_CASE("slack: the daily read follows the channel and waits an hour after a failure",
          "[slack][team-setup]") {
  Fixture f;
  f.run("U1", "setup channel C100 growth");
  const auto team = storage::TeamChannels(f.db).find("slack", "T1", "C100")->team_id;
  f.channel = {"U1", "U3", "UBOT0001"};  // U2 left, U3 joined
  // The hook runs on the system clock: the first daily read is due a day after setup.
  const auto set_up_at = bot::pipeline::system_now();
  bot::app::refresh_slack_team_channels(f.db, f.api_for(), f.self, set_up_at + std::chrono::hours{1});
  CHECK(f.fake.calls_to("conversations.members").size() == 1);
  const auto next_day = set_up_at + std::chrono::hours{25};
  bot::app::refresh_slack_team_channels(f.db, f.api_for(), f.self, next_day);
  CHECK(f.fake.calls_to("conversations.members").size() == 2);
  const auto u2 = storage::People(f.db).find("slack", "T1", "U2");
  const auto u3 = storage::People(f.db).find("slack", "T1", "U3");
  REQUIRE(u3);
  CHECK(storage::Memberships(f.db).roles(team, u2->id).empty());
  CHECK(storage::Memberships(f.db).holds(team, u3->id, dialogs::Role::member));
  CHECK(test::iso(storage::TeamChannels(f.db).find("slack", "T1", "C100")->members_due_at) ==
        test::iso(next_day + std::chrono::hours{24}));

  // Slack fails: the members stay, and the read is tried an hour later.
  f.fake.fail_next(1, test::Fault{test::FaultKind::server_error});
  const auto two_days = next_day + std::chrono::hours{24};
  bot::app::refresh_slack_team_channels(f.db, f.api_for(), f.self, two_days);
  CHECK(storage::Memberships(f.db).holds(team, u3->id, dialogs::Role::member));
  CHECK(test::iso(storage::TeamChannels(f.db).find("slack", "T1", "C100")->members_due_at) ==
        test::iso(two_days + std::chrono::hours{1}));
}
