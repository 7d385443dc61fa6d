#include <catch2/catch.hpp>

#include "storage/conversation_refs.hpp"
#include "temp_store.hpp"

using namespace okr;
using okr::storage::testing::at_utc;
using okr::storage::testing::TempStore;

namespace {

storage::ConversationRef personal(const std::string& conversation, const std::string& user) {
  storage::ConversationRef ref;
  ref.tenant_id = "tenant-1";
  ref.conversation_id = conversation;
  ref.service_url = "https://smba.example/amer/";
  ref.bot_id = "28:app";
  ref.user_id = user;
  ref.time_zone = "Europe/Berlin";
  ref.updated_at = at_utc(2026, 11, 2);
  return ref;
}

}  // namespace

TEST_CASE("a remembered conversation reference survives a restart and keeps its time zone",
          "[storage][teams]") {
  TempStore store;
  storage::ConversationRefs(store.db()).remember(personal("a:1", "29:ana"));
  store.reopen();
  storage::ConversationRefs refs(store.db());
  auto refreshed = personal("a:1", "29:ana");
  refreshed.time_zone.clear();  // an activity without clientInfo
  refreshed.service_url = "https://smba.example/emea/";
  refreshed.updated_at = at_utc(2026, 11, 3);
  refs.remember(refreshed);
  const auto found = refs.find("tenant-1", "a:1");
  REQUIRE(found);
  CHECK(found->time_zone == "Europe/Berlin");
  CHECK(found->service_url == "https://smba.example/emea/");
  CHECK(found->user_id == "29:ana");
  CHECK_FALSE(refs.find("tenant-2", "a:1"));
}

TEST_CASE("a conversation is greeted once, also after it is remembered again",
          "[storage][teams]") {
  TempStore store;
  storage::ConversationRefs refs(store.db());
  refs.remember(personal("a:1", "29:ana"));
  CHECK(refs.mark_greeted("tenant-1", "a:1"));
  CHECK_FALSE(refs.mark_greeted("tenant-1", "a:1"));
  refs.remember(personal("a:1", "29:ana"));
  CHECK(refs.find("tenant-1", "a:1")->greeted);
  CHECK_FALSE(refs.mark_greeted("tenant-1", "a:1"));
}

TEST_CASE("a stale 1:1 chat is not used for a person until they are seen again",
          "[storage][teams]") {
  TempStore store;
  storage::ConversationRefs refs(store.db());
  refs.remember(personal("a:1", "29:ana"));
  REQUIRE(refs.personal_of("tenant-1", "29:ana"));
  refs.mark_stale("tenant-1", "a:1");
  CHECK_FALSE(refs.personal_of("tenant-1", "29:ana"));
  CHECK(refs.any_of_user("tenant-1", "29:ana"));
  refs.remember(personal("a:1", "29:ana"));
  CHECK(refs.personal_of("tenant-1", "29:ana"));
  CHECK_FALSE(refs.personal_of("tenant-1", "29:bo"));
}
