#pragma once
// Office-command tests through the real TurnRunner (no dialogs loaded, so a typed line is either
// an office command or the coach's "I don't know that" answer): a migrated database in a temp
// directory holding the digest fixture team "Platform", and a second team "Tools".
#include <string>
#include <vector>

#include "bot/pipeline/turn_runner.hpp"
#include "dialogs/definition.hpp"
#include "storage/database.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/storage/digest_store.hpp"

namespace okr::digest_fixture {

struct OfficeFixture {
  test::TempDir dir;
  storage::Database db = open(dir);
  dialogs::DialogCatalog catalog;
  StoredFixture platform = store_fixture(db, team_fixture(), "Platform");
  StoredFixture tools = store_fixture(db, team_fixture(), "Tools");

  static storage::Database open(const test::TempDir& dir) {
    auto db = storage::Database::open((dir / "okr.db").string());
    db.migrate();
    return db;
  }

  // `user` is the stored user ref, e.g. "Platform-Dan".
  std::vector<dialogs::Outbound> say(const std::string& user, const std::string& text,
                                     dialogs::TimePoint now = utc(2026, 12, 18, 16)) {
    bot::pipeline::TurnRunner runner(db, catalog, [now] { return now; });
    dialogs::Inbound m;
    m.platform = "terminal";
    m.workspace = "local";
    m.user = user;
    m.conversation = "dm-" + user;
    m.text = text;
    return runner.run(m);
  }

  std::string reply(const std::string& user, const std::string& text) {
    std::string out;
    for (const auto& m : say(user, text)) out += m.text + "\n";
    return out;
  }
};

}  // namespace okr::digest_fixture
