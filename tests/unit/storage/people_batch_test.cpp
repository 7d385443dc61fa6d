// People::by_ids: one query for a whole set of ids (the scheduler's claim batch).
#include <catch2/catch.hpp>

#include "storage/database.hpp"
#include "storage/people.hpp"
#include "temp_store.hpp"

using namespace okr;

TEST_CASE("people by ids returns every stored person asked for, and only those",
          "[storage][people]") {
  storage::testing::TempStore store;
  storage::People people(store.db());
  std::vector<dialogs::Person> stored;
  for (int i = 0; i < 5; ++i) {
    dialogs::Person p;
    p.platform = "slack";
    p.workspace = "T1";
    p.user_ref = "U" + std::to_string(i);
    p.display_name = "Person " + std::to_string(i);
    p.time_zone = "Europe/Berlin";
    stored.push_back(people.find_or_create(p));
  }
  const auto found = people.by_ids({stored[4].id, stored[1].id, 999, stored[1].id});
  REQUIRE(found.size() == 2);
  CHECK(found.at(stored[1].id).user_ref == "U1");
  CHECK(found.at(stored[1].id).display_name == "Person 1");
  CHECK(found.at(stored[4].id).time_zone == "Europe/Berlin");
  CHECK(found.at(stored[4].id).platform == stored[4].platform);
  CHECK(people.by_ids({}).empty());
}
