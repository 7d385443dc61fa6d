#include "bot/pipeline/inbox_recovery.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <vector>

#include "bot/pipeline/sequencer.hpp"
#include "storage/database.hpp"
#include "tests/support/temp_dir.hpp"

using namespace okr;
namespace pipeline = okr::bot::pipeline;

namespace {

dialogs::TimePoint some_time() {
  return dialogs::TimePoint{std::chrono::seconds{1'790'000'000}};
}

dialogs::Inbound dm(const std::string& conversation, const std::string& text) {
  return {"slack", "T1", "U1", conversation, text, std::nullopt};
}

}  // namespace

TEST_CASE("after a restart pending events are processed again in arrival order per conversation",
          "[pipeline][inbox]") {
  test::TempDir dir;
  const auto file = (dir / "okr.db").string();
  {
    auto db = storage::Database::open(file);
    db.migrate();
    storage::Inbox inbox(db);
    inbox.record("E1", dm("A", "a1"), some_time());
    const auto done = inbox.record("E2", dm("B", "b1"), some_time()).id;
    inbox.record("E3", dm("A", "a2"), some_time());
    inbox.record("E4", dm("B", "b2"), some_time());
    inbox.record("E5", dm("A", "a3"), some_time());
    auto teams = dm("A", "another platform's");
    teams.platform = "teams";
    inbox.record("E6", teams, some_time());
    inbox.mark_done(done);
  }
  auto db = storage::Database::open(file);  // the restarted process
  pipeline::Sequencer sequencer(3);
  std::mutex mutex;
  std::map<std::string, std::vector<std::string>> processed;
  const auto queued =
      pipeline::resume_pending(db, sequencer, "slack", [&](const storage::InboxEntry& entry) {
        std::lock_guard lock(mutex);
        processed[entry.message.conversation].push_back(entry.message.text);
      });
  sequencer.drain();
  CHECK(queued == 4);
  CHECK(processed["A"] == std::vector<std::string>{"a1", "a2", "a3"});
  CHECK(processed["B"] == std::vector<std::string>{"b2"});
}

TEST_CASE("every pending event is resumed however many there are, a chunk per read",
          "[pipeline][inbox]") {
  test::TempDir dir;
  auto db = storage::Database::open((dir / "okr.db").string());
  db.migrate();
  storage::Inbox inbox(db);
  std::vector<std::string> sent;
  for (int i = 0; i < 23; ++i) {
    sent.push_back("m" + std::to_string(i));
    inbox.record("E" + std::to_string(i), dm("A", sent.back()), some_time());
  }
  pipeline::Sequencer sequencer(2);
  std::mutex mutex;
  std::vector<std::string> processed;
  const auto queued = pipeline::resume_pending(
      db, sequencer, "slack",
      [&](const storage::InboxEntry& entry) {
        std::lock_guard lock(mutex);
        processed.push_back(entry.message.text);
      },
      5);
  sequencer.drain();
  CHECK(queued == 23);
  CHECK(processed == sent);
}

TEST_CASE("conversation keys keep platforms and workspaces apart", "[pipeline][inbox]") {
  auto a = dm("D1", "");
  auto b = dm("D1", "");
  b.workspace = "T2";
  CHECK(pipeline::conversation_key(a) != pipeline::conversation_key(b));
  CHECK(pipeline::conversation_key(a) == pipeline::conversation_key(dm("D1", "other text")));
}
