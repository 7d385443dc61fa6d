// A person's export and forget-me against a real database file (storage/personal_data.hpp):
// the export holds their data and nobody else's; forgetting leaves none of their words or
// platform ids in the file, while the team's digest history keeps its numbers.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "dialogs/digest_render.hpp"
#include "storage/dialog_instances.hpp"
#include "storage/digest_source.hpp"
#include "storage/inbox.hpp"
#include "storage/outbox.hpp"
#include "storage/personal_data.hpp"
#include "storage/reflections.hpp"
#include "storage/schedules.hpp"
#include "storage/web_messages.hpp"
#include "temp_store.hpp"
#include "tests/unit/storage/digest_store.hpp"

using namespace okr;
using namespace okr::digest_fixture;
using nlohmann::json;
using okr::storage::testing::TempStore;

namespace {

// Ana's own words and ids in the fixture, plus what each test adds for her.
const std::vector<std::string> kAnasWords = {
    "Platform-Ana",  // her platform user id
    "Make onboarding effortless", "Cut the time to a first deploy", "Ship the self-serve setup guide",
    "Waiting on the security review", "Holidays are coming", "I learned to ask for help early",
    "please remember my secret plan", "Your plan sounds solid", "draft-state-marker-ana"};

dialogs::Inbound from(const std::string& user, const std::string& conversation, const std::string& text) {
  dialogs::Inbound m;
  m.platform = "terminal";
  m.workspace = "local";
  m.user = user;
  m.conversation = conversation;
  m.text = text;
  return m;
}

storage::OutboxItem to(const std::string& conversation, const std::string& text) {
  storage::OutboxItem item;
  item.address.platform = "terminal";
  item.address.workspace = "local";
  item.address.conversation = conversation;
  item.message.text = text;
  return item;
}

struct Setup {
  StoredFixture stored;
  dialogs::Id ana_id = 0;
  dialogs::Id pending_inbox = 0;
};

// The fixture team, plus a reflection, a dialog in progress, messages both ways and a schedule
// for Ana, and a message from Ben in his own conversation.
Setup with_anas_data(storage::Database& db) {
  Setup s;
  s.stored = store_fixture(db, team_fixture());
  s.ana_id = s.stored.people.at(ana);
  dialogs::Reflection r;
  r.person_id = s.ana_id;
  r.learned = "I learned to ask for help early";
  r.at = thursday(51);
  storage::Reflections(db).add(r);
  storage::DialogInstances(db).save(s.ana_id, "dm-ana",
                                    {"draft", 1, R"({"note":"draft-state-marker-ana"})", thursday(51)});
  storage::Inbox inbox(db);
  const auto done = inbox.record("ev-1", from("Platform-Ana", "dm-ana", "please remember my secret plan"), thursday(51));
  inbox.mark_done(done.id);
  s.pending_inbox = inbox.record("ev-2", from("Platform-Ana", "dm-ana", "forget-me yes"), thursday(51)).id;
  inbox.mark_done(inbox.record("ev-3", from("Platform-Ben", "dm-ben", "ben keeps this note"), thursday(51)).id);
  storage::Outbox(db).enqueue(to("dm-ana", "Your plan sounds solid"), thursday(51));
  storage::Outbox(db).enqueue(to("dm-ben", "Ben's reply stays"), thursday(51));
  dialogs::Schedule own;
  own.kind = dialogs::ScheduleKind::checkin;
  own.person_id = s.ana_id;
  own.recurrence = *dialogs::parse_recurrence("weekly mon 09:00");
  own.created_by = s.ana_id;
  storage::Schedules(db).add(own, thursday(51));
  return s;
}

std::string file_bytes(const std::string& path) {
  std::string all;
  for (const auto& name : {path, path + "-wal"}) {
    std::ifstream in(name, std::ios::binary);
    all += std::string(std::istreambuf_iterator<char>(in), {});
  }
  return all;
}

}  // namespace

TEST_CASE("an export holds the person's own data and nobody else's", "[storage][data-rights]") {
  TempStore store;
  const auto s = with_anas_data(store.db());
  const auto doc = storage::export_personal_data(store.db(), s.ana_id, thursday(52));
  INFO(doc.dump(2));
  CHECK(doc["format"] == "okr-coach-personal-data");
  CHECK(doc["version"] == 1);
  CHECK(doc["exported_at"] == "2026-12-24T10:00:00Z");
  CHECK(doc["person"]["user"] == "Platform-Ana");
  CHECK(doc["teams"].size() == 3);  // member, coach, admin of Platform
  REQUIRE(doc["objectives"].size() == 1);
  CHECK(doc["objectives"][0]["text"] == "Make onboarding effortless");
  CHECK(doc["objectives"][0]["key_results"].size() == 2);
  CHECK(doc["check_ins"].size() == 24);
  REQUIRE(doc["reflections"].size() == 1);
  CHECK(doc["reflections"][0]["learned"] == "I learned to ask for help early");
  CHECK(doc["schedules"].size() == 1);
  REQUIRE(doc["dialogs_in_progress"].size() == 1);
  CHECK(doc["dialogs_in_progress"][0]["state"]["note"] == "draft-state-marker-ana");
  CHECK(doc["messages"]["from_you"].size() == 2);
  REQUIRE(doc["messages"]["to_you"].size() == 1);
  CHECK(doc["messages"]["to_you"][0]["message"]["text"] == "Your plan sounds solid");

  const auto text = doc.dump();
  for (const char* others : {"Keep customers with us", "Need a staging environment", "ben keeps this note",
                             "Ben's reply stays", "Platform-Ben"})
    CHECK(text.find(others) == std::string::npos);
}

TEST_CASE("forgetting a person leaves none of their words or ids in the database file",
          "[storage][data-rights]") {
  TempStore store;
  const auto s = with_anas_data(store.db());
  const auto before = file_bytes(store.file());
  for (const auto& word : kAnasWords) CHECK(before.find(word) != std::string::npos);  // the search can fail

  const auto summary = storage::forget_person(store.db(), s.ana_id);
  CHECK(summary.reflections_deleted == 1);
  CHECK(summary.objectives_anonymised == 1);
  CHECK(summary.check_ins_anonymised > 0);
  CHECK(summary.messages_deleted >= 2);
  CHECK(summary.schedules_deleted == 1);
  // The request being answered is still there to be marked done, without its content.
  storage::Inbox(store.db()).mark_done(s.pending_inbox);

  store.reopen();  // the last connection closing folds the WAL into the file
  const auto after = file_bytes(store.file());
  for (const auto& word : kAnasWords) {
    INFO(word);
    CHECK(after.find(word) == std::string::npos);
  }
  // Other people's data is untouched.
  for (const char* others : {"Keep customers with us", "ben keeps this note", "Ben's reply stays", "Platform-Ben"})
    CHECK(after.find(others) != std::string::npos);
}

TEST_CASE("after forget-me the team's digest history adds up, with no name", "[storage][data-rights]") {
  TempStore store;
  const auto s = with_anas_data(store.db());
  std::vector<dialogs::Digest> before;
  for (int week : {45, 50, 51})
    before.push_back(dialogs::compose_digest(
        *storage::load_digest_source(store.db(), s.stored.team_id, {2026, week}, utc(2026, 12, 18, 16))));

  storage::forget_person(store.db(), s.ana_id);

  int i = 0;
  for (int week : {45, 50, 51}) {
    INFO("week " << week);
    const auto digest = dialogs::compose_digest(
        *storage::load_digest_source(store.db(), s.stored.team_id, {2026, week}, utc(2026, 12, 18, 16)));
    const auto& was = before[static_cast<std::size_t>(i++)];
    CHECK(digest.key_result_count == was.key_result_count);
    CHECK(digest.at_risk_count == was.at_risk_count);
    REQUIRE(digest.objectives.size() == was.objectives.size());
    for (std::size_t o = 0; o < digest.objectives.size(); ++o) {
      CHECK(digest.objectives[o].progress == was.objectives[o].progress);
      REQUIRE(digest.objectives[o].key_results.size() == was.objectives[o].key_results.size());
      for (std::size_t k = 0; k < digest.objectives[o].key_results.size(); ++k) {
        CHECK(digest.objectives[o].key_results[k].value == was.objectives[o].key_results[k].value);
        CHECK(digest.objectives[o].key_results[k].confidence == was.objectives[o].key_results[k].confidence);
      }
    }
    const auto text = dialogs::digest_text(digest);
    CHECK(text.find("Ana") == std::string::npos);
    CHECK(text.find("Make onboarding effortless") == std::string::npos);
    CHECK(text.find("security review") == std::string::npos);
  }
}

TEST_CASE("forgetting twice finds nothing the second time", "[storage][data-rights]") {
  TempStore store;
  const auto s = with_anas_data(store.db());
  CHECK(storage::forget_person(store.db(), s.ana_id).anything());
  CHECK_FALSE(storage::forget_person(store.db(), s.ana_id).anything());
  // The same platform user writing again is someone new, with nothing of the old data.
  const auto again = storage::People(store.db()).find_or_create(storage::testing::terminal_person("Platform-Ana"));
  CHECK(again.id != s.ana_id);
  const auto doc = storage::export_personal_data(store.db(), again.id, thursday(52));
  CHECK(doc["objectives"].empty());
  CHECK(doc["check_ins"].empty());
  CHECK(doc["messages"]["from_you"].size() == 0);
}
