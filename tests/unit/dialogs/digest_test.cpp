#include <catch2/catch.hpp>

#include "dialogs/digest.hpp"
#include "tests/unit/dialogs/digest_fixture.hpp"

using namespace okr::dialogs;
using namespace okr::digest_fixture;
using Catch::Detail::Approx;

namespace {

const TimePoint friday_w51 = utc(2026, 12, 18, 16);

const DigestKeyResult& find_kr(const Digest& d, Id id) {
  for (const auto& o : d.objectives)
    for (const auto& v : o.key_results)
      if (v.key_result.id == id) return v;
  FAIL("key result " << id << " is not in the digest");
  throw std::logic_error("unreachable");
}

const DigestObjective& find_objective(const Digest& d, Id id) {
  for (const auto& o : d.objectives)
    if (o.objective.id == id) return o;
  FAIL("objective " << id << " is not in the digest");
  throw std::logic_error("unreachable");
}

std::vector<std::string> names(const std::vector<DigestPerson>& people) {
  std::vector<std::string> out;
  for (const auto& p : people) out.push_back(p.name);
  return out;
}

}  // namespace

TEST_CASE("the week-51 digest of the fixture team counts 4 of 5 key results at risk and 2 people missing",
          "[digest]") {
  const auto d = compose_digest(source_for(team_fixture(), IsoWeek{2026, 51}, friday_w51));
  CHECK(d.key_result_count == 5);
  CHECK(d.at_risk_count == 4);
  CHECK(d.headline == "4 of 5 key results at risk; 2 people have not checked in");
  CHECK(d.cycle_label == "2026-Q4");
  CHECK(names(d.checked_in) == std::vector<std::string>{"Ana", "Cleo"});
  // Dan is a manager, not a member; Eve joins after the week: neither is "missing".
  CHECK(names(d.not_checked_in) == std::vector<std::string>{"Ben", "Finn"});
}

TEST_CASE("a decreasing target with a baseline measures the way down from baseline to target", "[digest]") {
  const auto d = compose_digest(source_for(team_fixture(), IsoWeek{2026, 51}, friday_w51));
  const auto& v = find_kr(d, deploy_days);
  CHECK(*v.value == Approx(6));
  CHECK(*v.progress == Approx(4.0 / 6.0));        // 10 -> 6 of 10 -> 4
  CHECK(*v.change == Approx(0.5 / 6.0));          // from 6.5 last week
  CHECK(*v.confidence == 7);
  CHECK(v.trend == ConfidenceTrend::steady);
  CHECK(v.expected_progress == Approx((78.0 + 16.0 / 24) / 92));
  CHECK(v.risks.empty());
}

TEST_CASE("a decreasing target without a baseline is target over current", "[digest]") {
  const auto d = compose_digest(source_for(team_fixture(), IsoWeek{2026, 51}, friday_w51));
  const auto& v = find_kr(d, churn);
  CHECK(*v.progress == Approx(2.0 / 3.0));
  CHECK(*v.change == Approx(0));
}

TEST_CASE("a milestone reported half done with a confidence fall to 4 is at risk for three reasons", "[digest]") {
  const auto d = compose_digest(source_for(team_fixture(), IsoWeek{2026, 51}, friday_w51));
  const auto& v = find_kr(d, setup_guide);
  CHECK(*v.progress == Approx(0.5));
  CHECK(*v.change == Approx(0));
  CHECK(*v.confidence == 4);
  CHECK(*v.previous_confidence == 8);
  CHECK(v.trend == ConfidenceTrend::down);
  CHECK(v.risks == std::vector<DigestRisk>{DigestRisk::low_confidence, DigestRisk::behind_pace,
                                           DigestRisk::confidence_dropped});
}

TEST_CASE("key results not checked in for two weeks are flagged, with their last value kept", "[digest]") {
  const auto d = compose_digest(source_for(team_fixture(), IsoWeek{2026, 51}, friday_w51));
  const auto& v = find_kr(d, nps);
  CHECK(*v.value == Approx(42));
  CHECK(*v.progress == Approx(0.8));
  CHECK(*v.last_check_in == thursday(49));
  CHECK(v.risks == std::vector<DigestRisk>{DigestRisk::no_recent_check_in});
  CHECK(find_kr(d, churn).risks == std::vector<DigestRisk>{DigestRisk::no_recent_check_in});
}

TEST_CASE("the pace of an objective set mid-cycle runs from when it was set", "[digest]") {
  const auto d = compose_digest(source_for(team_fixture(), IsoWeek{2026, 51}, friday_w51));
  const auto& v = find_kr(d, release_checks);
  CHECK(*v.progress == Approx(3.0 / 8.0));
  CHECK(v.expected_progress == Approx((32.0 + 16.0 / 24) / 46));
  CHECK(v.risks == std::vector<DigestRisk>{DigestRisk::behind_pace});
}

TEST_CASE("objective progress is the mean of its key results", "[digest]") {
  const auto d = compose_digest(source_for(team_fixture(), IsoWeek{2026, 51}, friday_w51));
  CHECK(*find_objective(d, 1).progress == Approx((4.0 / 6.0 + 0.5) / 2));
  CHECK(*find_objective(d, 2).progress == Approx((0.8 + 2.0 / 3.0) / 2));
  CHECK(find_objective(d, 1).owner == "Ana");
}

TEST_CASE("blockers of the week are quoted once per author, last week's are not repeated", "[digest]") {
  const auto d = compose_digest(source_for(team_fixture(), IsoWeek{2026, 51}, friday_w51));
  const auto& o1 = find_objective(d, 1);
  REQUIRE(o1.blockers.size() == 1);
  CHECK(o1.blockers[0].text == "Waiting on the security review");
  CHECK(o1.blockers[0].author == "Ana");
  CHECK(find_objective(d, 2).blockers.empty());
  REQUIRE(find_objective(d, 3).blockers.size() == 1);
  CHECK(find_objective(d, 3).blockers[0].author == "Cleo");
}

TEST_CASE("a past week is judged as it stood at its end, before later joiners and objectives", "[digest]") {
  const auto d = compose_digest(source_for(team_fixture(), IsoWeek{2026, 45}, friday_w51));
  // Cleo joined and set her objective in week 47.
  CHECK(d.objectives.size() == 2);
  CHECK(names(d.checked_in) == std::vector<std::string>{"Ana"});
  CHECK(names(d.not_checked_in) == std::vector<std::string>{"Ben", "Finn"});
  const auto& deploy = find_kr(d, deploy_days);
  CHECK(*deploy.value == Approx(8));
  CHECK(*deploy.change == Approx(0.5 / 6.0));
  CHECK(deploy.expected_progress == Approx(39.0 / 92));
  CHECK(find_kr(d, setup_guide).risks == std::vector<DigestRisk>{DigestRisk::behind_pace});
  CHECK(find_kr(d, nps).risks == std::vector<DigestRisk>{DigestRisk::no_recent_check_in});
  CHECK(d.headline == "3 of 4 key results at risk; 2 people have not checked in");
}

TEST_CASE("a first check-in shows its change from where the key result started", "[digest]") {
  const auto d = compose_digest(source_for(team_fixture(), IsoWeek{2026, 47}, friday_w51));
  const auto& v = find_kr(d, release_checks);
  CHECK(*v.change == Approx(1.0 / 8.0));
  CHECK(v.trend == ConfidenceTrend::first);
}

TEST_CASE("a key result nobody has checked in on has no value, confidence or change", "[digest]") {
  auto fixture = team_fixture();
  fixture.check_ins.clear();
  const auto d = compose_digest(source_for(fixture, IsoWeek{2026, 40}, utc(2026, 10, 2)));
  const auto& v = find_kr(d, deploy_days);
  CHECK_FALSE(v.value);
  CHECK(*v.progress == Approx(0));
  CHECK_FALSE(v.change);
  CHECK(v.trend == ConfidenceTrend::none);
  CHECK(v.risks.empty());
  // Cleo and her objective arrive in week 47.
  CHECK(d.headline == "All 4 key results on track; 3 people have not checked in");
}

TEST_CASE("the headline speaks in singulars and says when everyone checked in", "[digest]") {
  CHECK(headline_of(1, 1, 3, 1) == "1 of 1 key result at risk; 1 person has not checked in");
  CHECK(headline_of(3, 0, 2, 0) == "All 3 key results on track; everyone checked in");
  CHECK(headline_of(1, 0, 0, 0) == "The one key result is on track");
  CHECK(headline_of(0, 0, 2, 2) == "No key results set for this cycle yet; 2 people have not checked in");
}
