#include <atomic>
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "storage/cycles.hpp"
#include "storage/teams.hpp"
#include "temp_store.hpp"

using namespace okr;
using okr::storage::testing::at_utc;
using okr::storage::testing::TempStore;

TEST_CASE("the default cycle is the calendar quarter containing the date", "[storage][cycles]") {
  const auto c = storage::cycle_containing(at_utc(2026, 11, 25), 3);
  CHECK(c.label == "2026-Q4");
  CHECK(c.starts_at == at_utc(2026, 10, 1, 0));
  CHECK(c.ends_at == at_utc(2027, 1, 1, 0));
  CHECK(storage::cycle_containing(at_utc(2026, 1, 1, 0), 3).label == "2026-Q1");
  CHECK(storage::cycle_containing(at_utc(2026, 3, 31, 23), 3).label == "2026-Q1");
}

TEST_CASE("other cycle lengths are aligned to the calendar year", "[storage][cycles]") {
  CHECK(storage::cycle_containing(at_utc(2026, 8, 2), 6).label == "2026-H2");
  CHECK(storage::cycle_containing(at_utc(2026, 8, 2), 12).label == "2026");
  CHECK(storage::cycle_containing(at_utc(2026, 8, 2), 1).label == "2026-08");
  const auto four = storage::cycle_containing(at_utc(2026, 6, 15), 4);
  CHECK(four.label == "2026-05..2026-08");
  CHECK(four.ends_at == at_utc(2026, 9, 1, 0));
  CHECK(storage::cycle_containing(at_utc(2026, 8, 2), 0).label == "2026-Q3");  // nonsense -> quarter
}

TEST_CASE("the current cycle of a team is stored once and found again", "[storage][cycles]") {
  TempStore store;
  storage::Teams teams(store.db());
  storage::Cycles cycles(store.db());
  const auto team = teams.find_or_create("Platform");
  const auto first = cycles.current(team.id, team.settings, at_utc(2026, 11, 2));
  CHECK(first.id > 0);
  CHECK(first.team_id == team.id);
  CHECK(cycles.current(team.id, team.settings, at_utc(2026, 12, 30)).id == first.id);

  const auto next = cycles.current(team.id, team.settings, at_utc(2027, 1, 5));
  CHECK(next.id != first.id);
  CHECK(next.label == "2027-Q1");
  const auto previous = cycles.previous(team.id, next.starts_at);
  REQUIRE(previous);
  CHECK(previous->id == first.id);

  // A person without a team has personal cycles, separate from any team's.
  const auto personal = cycles.current(0, dialogs::ProgramSettings{}, at_utc(2026, 11, 2));
  CHECK(personal.id != first.id);
  CHECK(personal.team_id == 0);
  CHECK(cycles.current(0, dialogs::ProgramSettings{}, at_utc(2026, 11, 3)).id == personal.id);
  REQUIRE(cycles.by_id(personal.id));
  CHECK(cycles.by_id(personal.id)->label == "2026-Q4");
}

TEST_CASE("people on their own connections creating the same new cycle at once all get it",
          "[storage][cycles]") {
  // Turns of different people run on different sequencer workers, each with its own SQLite
  // connection; the first turns of a new quarter race to create its cycle.
  TempStore store;
  constexpr int kWorkers = 6;
  std::vector<storage::Database> connections;
  for (int i = 0; i < kWorkers; ++i) connections.push_back(storage::Database::open(store.file()));

  for (int year = 2030; year < 2050; ++year) {  // each year's Q1 is a new cycle to race for
    std::vector<dialogs::Id> ids(kWorkers, 0);
    std::vector<std::string> errors(kWorkers);
    std::atomic<int> waiting{kWorkers};
    std::vector<std::thread> threads;
    for (int i = 0; i < kWorkers; ++i) {
      threads.emplace_back([&, i] {
        --waiting;
        while (waiting.load() > 0) std::this_thread::yield();  // start together
        try {
          ids[i] = storage::Cycles(connections[i])
                       .current(0, dialogs::ProgramSettings{}, at_utc(year, 2, 1))
                       .id;
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
      });
    }
    for (auto& t : threads) t.join();
    for (int i = 0; i < kWorkers; ++i) {
      INFO("year " << year << ", connection " << i);
      CHECK(errors[i].empty());
      CHECK(ids[i] == ids[0]);
    }
  }
}
