// `export` and `forget-me` through the real TurnRunner and a real database file: what each
// channel receives, the confirmation, and that a person reaches only their own data.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "bot/pipeline/personal_export.hpp"
#include "bot/slack/commands.hpp"
#include "bot/pipeline/turn_runner.hpp"
#include "config/shipped_dialogs.hpp"
#include "dialogs/schedule_nudge.hpp"
#include "storage/database.hpp"
#include "storage/memberships.hpp"
#include "storage/people.hpp"
#include "storage/personal_data.hpp"
#include "storage/reflections.hpp"
#include "storage/teams.hpp"
#include "tests/support/clock_text.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;
namespace pipeline = okr::bot::pipeline;
using nlohmann::json;

namespace {

// Team "Platform" on Slack: U1 and U2 are members; each has written a reflection.
struct Fixture {
  test::TempDir dir;
  storage::Database db = open(dir);
  dialogs::DialogCatalog catalog = dialogs::load_catalog(config::shipped_dialogs(), "").catalog;
  dialogs::TimePoint now = test::utc("2026-11-25T12:00");

  Fixture() {
    const auto team = storage::Teams(db).find_or_create("Platform");
    for (const char* user : {"U1", "U2"}) {
      const auto p = storage::People(db).find_or_create(identity(user));
      storage::Memberships(db).join(team.id, p.id);
      dialogs::Reflection r;
      r.person_id = p.id;
      r.learned = std::string("reflection of ") + user + ": " + std::string(3000, 'x');
      r.at = now;
      storage::Reflections(db).add(r);
    }
  }
  static storage::Database open(const test::TempDir& dir) {
    auto db = storage::Database::open((dir / "okr.db").string());
    db.migrate();
    return db;
  }
  static dialogs::Person identity(const std::string& user) {
    dialogs::Person p;
    p.platform = "slack";
    p.workspace = "T1";
    p.user_ref = user;
    return p;
  }
  std::vector<dialogs::Outbound> send(dialogs::Inbound m) {
    pipeline::TurnRunner runner(db, catalog, [this] { return now; });
    return runner.run(m);
  }
  std::vector<dialogs::Outbound> say(const std::string& user, const std::string& text,
                                     const std::string& platform = "slack") {
    dialogs::Inbound m;
    m.platform = platform;
    m.workspace = "T1";
    m.user = user;
    m.conversation = "D-" + user;
    m.text = text;
    return send(m);
  }
  std::vector<dialogs::Outbound> click(const std::string& user, const std::string& value) {
    dialogs::Inbound m;
    m.platform = "slack";
    m.workspace = "T1";
    m.user = user;
    m.conversation = "D-" + user;
    m.action = dialogs::Action{dialogs::kSayQuestion, value};
    return send(m);
  }
  dialogs::Id id_of(const std::string& user) { return storage::People(db).find("slack", "T1", user)->id; }
};

// The JSON between the fences of each part, joined in order.
std::string joined_parts(const std::vector<dialogs::Outbound>& replies) {
  std::string out;
  for (std::size_t i = 1; i < replies.size(); ++i) {
    const auto& text = replies[i].text;
    const auto open = text.find("```\n");
    const auto close = text.rfind("\n```");
    REQUIRE(open != std::string::npos);
    REQUIRE(close > open);
    out += text.substr(open + 4, close - open - 4);
  }
  return out;
}

}  // namespace

TEST_CASE("export on Slack comes in message-sized parts that join into the whole document",
          "[pipeline][data-rights]") {
  Fixture f;
  const auto replies = f.say("U1", "export");
  REQUIRE(replies.size() >= 3);  // an introduction and at least two parts (the reflection is long)
  CHECK_THAT(replies[0].text, Catch::Contains("JSON in " + std::to_string(replies.size() - 1) + " parts"));
  for (const auto& part : replies) CHECK(part.text.size() <= 3000);
  const auto doc = json::parse(joined_parts(replies));
  CHECK(doc == storage::export_personal_data(f.db, f.id_of("U1"), f.now));
  CHECK(doc["person"]["user"] == "U1");
  CHECK(doc.dump().find("reflection of U2") == std::string::npos);
}

TEST_CASE("export in the terminal is one message holding the whole document", "[pipeline][data-rights]") {
  Fixture f;
  const auto replies = f.say("U1", "export", "terminal");
  REQUIRE(replies.size() == 1);
  const auto doc = json::parse(replies[0].text);
  CHECK(doc["format"] == "okr-coach-personal-data");
  CHECK(doc["person"]["platform"] == "terminal");
}

TEST_CASE("forget-me asks first and deletes nothing until confirmed", "[pipeline][data-rights]") {
  Fixture f;
  const auto ask = f.say("U1", "forget-me");
  REQUIRE(ask.size() == 1);
  REQUIRE(ask[0].question);
  CHECK(ask[0].question->id == dialogs::kSayQuestion);
  REQUIRE(ask[0].question->choices.size() == 2);
  CHECK(ask[0].question->choices[0].label == "Yes, forget me");
  CHECK_THAT(ask[0].text, Catch::Contains("`forget-me yes`"));
  CHECK(storage::Reflections(f.db).latest(f.id_of("U1")));

  CHECK_THAT(f.click("U1", "forget-me no")[0].text, Catch::Contains("kept everything"));
  CHECK(storage::Reflections(f.db).latest(f.id_of("U1")));
}

TEST_CASE("forget-me by button or typed confirmation forgets only the person who asked",
          "[pipeline][data-rights]") {
  Fixture f;
  const auto u1 = f.id_of("U1");
  const auto u2 = f.id_of("U2");
  SECTION("button") { CHECK_THAT(f.click("U1", "forget-me yes")[0].text, Catch::Contains("Done")); }
  SECTION("typed") { CHECK_THAT(f.say("U1", "forget-me yes, forget me")[0].text, Catch::Contains("Done")); }
  CHECK_FALSE(storage::Reflections(f.db).latest(u1));
  CHECK_FALSE(storage::People(f.db).by_id(u1));
  CHECK(storage::Reflections(f.db).latest(u2));
  // Asking again: nothing left, said plainly, and nothing else changes.
  CHECK_THAT(f.say("U1", "forget-me yes")[0].text, Catch::Contains("nothing of yours left"));
  CHECK(storage::Reflections(f.db).latest(u2));
}

TEST_CASE("the export of someone never seen is nothing, not an empty person", "[pipeline][data-rights]") {
  Fixture f;
  CHECK_FALSE(pipeline::personal_export(f.db, "slack", "T1", "U404", f.now));
  CHECK(pipeline::personal_export(f.db, "slack", "T1", "U1", f.now));
  CHECK_FALSE(storage::People(f.db).find("slack", "T1", "U404"));
}

TEST_CASE("message parts never cut a UTF-8 character and join back exactly", "[pipeline][data-rights]") {
  std::string text;
  for (int i = 0; i < 400; ++i) text += "línea " + std::to_string(i) + " ✓ שלום 🙂\n";
  text += std::string(5000, 'y');  // one line longer than a part
  const auto parts = pipeline::split_for_messages(text, 700);
  std::string joined;
  for (const auto& part : parts) {
    CHECK(part.size() <= 700);
    CHECK((static_cast<unsigned char>(part.front()) & 0xC0) != 0x80);
    joined += part;
  }
  CHECK(joined == text);
  CHECK(pipeline::split_for_messages("", 10) == std::vector<std::string>{""});
}

TEST_CASE("/okr export and /okr forget-me on Slack continue in the DM, never through the response_url",
          "[pipeline][data-rights][slack]") {
  namespace slack = okr::bot::slack;
  auto parse = [](const std::string& text) {
    const auto parsed = slack::parse_command("command=%2Fokr&team_id=T1&channel_id=D1&user_id=U1&response_url=x&text=" +
                                             text);
    REQUIRE(std::holds_alternative<slack::SlashCommand>(parsed));
    return std::get<slack::SlashCommand>(parsed);
  };
  const auto exported = parse("export");
  CHECK(exported.subcommand == slack::OkrSubcommand::export_data);
  CHECK(slack::command_text(exported) == "export");
  CHECK_FALSE(slack::answers_in_place(exported.subcommand));
  // A confirmation typed with the slash command is not taken: the question comes first, in the DM.
  const auto forget = parse("forget-me+yes");
  CHECK(forget.subcommand == slack::OkrSubcommand::forget_me);
  CHECK(slack::command_text(forget) == "forget-me");
  CHECK_FALSE(slack::answers_in_place(forget.subcommand));
}
