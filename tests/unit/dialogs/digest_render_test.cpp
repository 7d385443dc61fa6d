#include <catch2/catch.hpp>

#include "dialogs/digest_json.hpp"
#include "dialogs/digest_render.hpp"
#include "tests/unit/dialogs/digest_fixture.hpp"

using namespace okr::dialogs;
using namespace okr::digest_fixture;
using Catch::Matchers::Contains;

namespace {

Digest week_51() {
  return compose_digest(source_for(team_fixture(), IsoWeek{2026, 51}, utc(2026, 12, 18, 16)));
}

}  // namespace

TEST_CASE("the text digest opens with the team, week, cycle and headline", "[digest][render]") {
  const auto text = digest_text(week_51());
  CHECK_THAT(text, Contains("Weekly digest for Platform, 2026-W51 (2026-Q4)\n"
                            "4 of 5 key results at risk; 2 people have not checked in\n"));
  CHECK_THAT(text, Contains("Cut the time to a first deploy from 10 to 4 days: 6 days, 67% (+8 pts), confidence 7/10"));
  CHECK_THAT(text, Contains("Ship the self-serve setup guide: 50% done, 50% (no change), confidence 4/10, down from 8"));
  CHECK_THAT(text, Contains("AT RISK: confidence is 4 or below; more than 20 points behind the time elapsed; "
                            "confidence dropped by 3 or more"));
  CHECK_THAT(text, Contains("Blocker: \"Waiting on the security review\" (Ana)"));
  CHECK_THAT(text, Contains("Checked in: Ana, Cleo\nNot checked in: Ben, Finn\n"));
}

TEST_CASE("the markdown digest is a table per objective with quoted blockers", "[digest][render]") {
  const auto md = digest_markdown(week_51());
  CHECK_THAT(md, Contains("## Weekly digest for Platform, 2026-W51 (2026-Q4)"));
  CHECK_THAT(md, Contains("| Key result | Now | Progress | Change | Confidence | Risk |"));
  CHECK_THAT(md, Contains("| Raise NPS from 30 to 45 | 42 | 80% | no change | confidence 6/10 | ⚠️ no check-in for two weeks or more |"));
  CHECK_THAT(md, Contains("- \"Need a staging environment\" — Cleo"));
}

TEST_CASE("a '|' in a key result's words does not break the markdown table", "[digest][render]") {
  auto fixture = team_fixture();
  fixture.objectives[0].key_results[0].text = "Deploy days | from 10 to 4";
  const auto md = digest_markdown(compose_digest(source_for(fixture, IsoWeek{2026, 51}, utc(2026, 12, 18, 16))));
  CHECK_THAT(md, Contains("| Deploy days \\| from 10 to 4 | 6 days |"));
}

TEST_CASE("the neutral digest message carries one progress row per key result with at_risk", "[digest][render]") {
  const auto message = digest_message(week_51());
  CHECK_THAT(message.text, Contains("4 of 5 key results at risk"));
  CHECK_THAT(message.text, Contains("At risk:\n- Ship the self-serve setup guide (Ana): confidence is 4 or below;"));
  CHECK_THAT(message.text, Contains("Blockers:\n- \"Waiting on the security review\" (Ana)\n"));
  CHECK_THAT(message.text, Contains("Not checked in: Ben, Finn"));
  // Key result lines live in the table only, so a channel showing both does not repeat them.
  CHECK_THAT(message.text, !Contains("6 days"));
  REQUIRE(message.progress);
  CHECK(message.progress->title == "Key results, 2026-W51");
  REQUIRE(message.progress->rows.size() == 5);
  const auto& first = message.progress->rows[0];
  CHECK(first.objective == "Make onboarding effortless");
  CHECK(first.value == "6 days");
  CHECK_FALSE(first.at_risk);
  CHECK(first.confidence == 7);
  CHECK(message.progress->rows[1].at_risk);
  CHECK(message.progress->rows[4].key_result == "Automate 8 release checks");
}

TEST_CASE("the JSON digest has every documented field, with nulls where nothing is known", "[digest][json]") {
  const auto j = digest_json(week_51());
  CHECK(j["format"] == "okr-coach.digest");
  CHECK(j["version"] == 1);
  CHECK(j["team"]["name"] == "Platform");
  CHECK(j["week"]["label"] == "2026-W51");
  CHECK(j["week"]["starts_at"] == "2026-12-14T00:00:00Z");
  CHECK(j["week"]["ends_at"] == "2026-12-21T00:00:00Z");
  CHECK(j["cycle"]["label"] == "2026-Q4");
  CHECK(j["generated_at"] == "2026-12-18T16:00:00Z");
  CHECK(j["summary"] == nlohmann::json{{"key_results", 5}, {"at_risk", 4}, {"members", 4}, {"checked_in", 2},
                                       {"not_checked_in", 2}});
  const auto& guide = j["objectives"][0]["key_results"][1];
  CHECK(guide["kind"] == "milestone");
  CHECK(guide["baseline"].is_null());
  CHECK(guide["progress"] == 0.5);
  CHECK(guide["confidence_trend"] == "down");
  CHECK(guide["risk_reasons"] == nlohmann::json{"low_confidence", "behind_pace", "confidence_dropped"});
  CHECK(guide["at_risk"] == true);
  const auto& deploy = j["objectives"][0]["key_results"][0];
  CHECK(deploy["progress"] == 0.6667);
  CHECK(deploy["direction"] == "decrease");
  CHECK(deploy["last_check_in_at"] == "2026-12-17T10:00:00Z");
  CHECK(j["objectives"][0]["blockers"][0] ==
        nlohmann::json{{"text", "Waiting on the security review"}, {"author", "Ana"}, {"key_result_id", deploy_days},
                       {"at", "2026-12-17T10:00:00Z"}});
  CHECK(j["not_checked_in"] == nlohmann::json::array({{{"id", ben}, {"name", "Ben"}}, {{"id", finn}, {"name", "Finn"}}}));
}
