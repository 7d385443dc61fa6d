// Slack workspaces installed through OAuth (migration 10): sealed tokens kept as given.
#include <stdexcept>

#include <catch2/catch.hpp>

#include "storage/installations.hpp"
#include "tests/unit/storage/temp_store.hpp"

using okr::storage::SlackInstallation;
using okr::storage::SlackInstallations;
using okr::storage::testing::TempStore;

namespace {

SlackInstallation installation(const std::string& team) {
  SlackInstallation row;
  row.team_id = team;
  row.team_name = "Team " + team;
  row.bot_user_id = "UBOT" + team;
  row.bot_token_sealed = "okr1:k1:bot-" + team;
  row.refresh_token_sealed = "okr1:k1:refresh-" + team;
  row.token_expires_at = okr::dialogs::TimePoint{std::chrono::seconds(1'800'000'000)};
  row.scopes = "chat:write,commands";
  row.installer_user_id = "UADMIN";
  row.installed_at = okr::dialogs::TimePoint{std::chrono::seconds(1'700'000'000)};
  row.updated_at = row.installed_at;
  return row;
}

}  // namespace

TEST_CASE("an installation is saved, found, re-installed and removed", "[storage][slack]") {
  TempStore store;
  SlackInstallations installations(store.db());
  installations.save(installation("T1"));
  auto found = installations.find("T1");
  REQUIRE(found);
  CHECK(found->bot_token_sealed == "okr1:k1:bot-T1");
  CHECK(found->token_expires_at == installation("T1").token_expires_at);
  CHECK(found->installer_user_id == "UADMIN");
  CHECK_FALSE(installations.find("T2"));

  auto again = installation("T1");
  again.bot_token_sealed = "okr1:k1:bot-T1-again";
  again.token_expires_at.reset();
  again.installed_at = okr::dialogs::TimePoint{std::chrono::seconds(1'750'000'000)};
  installations.save(again);
  found = installations.find("T1");
  CHECK(found->bot_token_sealed == "okr1:k1:bot-T1-again");
  CHECK_FALSE(found->token_expires_at);
  CHECK(found->installed_at == installation("T1").installed_at);  // the first install is kept

  CHECK(installations.remove("T1"));
  CHECK_FALSE(installations.remove("T1"));
  CHECK_FALSE(installations.find("T1"));
}

TEST_CASE("refreshed tokens replace the stored pair and its expiry", "[storage][slack]") {
  TempStore store;
  SlackInstallations installations(store.db());
  installations.save(installation("T1"));
  const okr::dialogs::TimePoint later{std::chrono::seconds(1'900'000'000)};
  installations.update_tokens("T1", "okr1:k1:bot-2", "okr1:k1:refresh-2", later, later);
  const auto found = installations.find("T1");
  CHECK(found->bot_token_sealed == "okr1:k1:bot-2");
  CHECK(found->refresh_token_sealed == "okr1:k1:refresh-2");
  CHECK(found->token_expires_at == later);
  CHECK_THROWS(installations.update_tokens("T9", "a", "b", later, later));
}

TEST_CASE("re-sealing changes every stored token or, when one fails, none", "[storage][slack]") {
  TempStore store;
  SlackInstallations installations(store.db());
  installations.save(installation("T1"));
  auto plain = installation("T2");
  plain.refresh_token_sealed.clear();
  installations.save(plain);

  CHECK_THROWS_AS(installations.reseal_all([](const std::string& team, const std::string& column,
                                              const std::string& sealed) -> std::string {
    if (team == "T2")
      throw std::runtime_error("cannot open");
    return "new:" + column + ":" + sealed;
  }),
                  std::runtime_error);
  CHECK(installations.find("T1")->bot_token_sealed == "okr1:k1:bot-T1");  // rolled back

  const int replaced = installations.reseal_all(
      [](const std::string&, const std::string& column, const std::string& sealed) {
        return "new:" + column + ":" + sealed;
      });
  CHECK(replaced == 3);  // T1's two values, T2's bot token (it has no refresh token)
  CHECK(installations.find("T1")->bot_token_sealed == "new:bot_token:okr1:k1:bot-T1");
  CHECK(installations.find("T1")->refresh_token_sealed == "new:refresh_token:okr1:k1:refresh-T1");
  CHECK(installations.find("T2")->refresh_token_sealed.empty());
}
