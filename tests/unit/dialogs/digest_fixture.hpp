#pragma once
// A team with twelve weeks of check-ins in 2026-Q4 (UTC): a decreasing target with and without a
// baseline, a milestone reported as a fraction, someone who skips weeks, someone who joined in
// week 47, someone who joins after week 51, a manager who is not a member and a member who never
// checks in. Check-ins happen on Thursdays at 10:00. Used by the pure digest tests and, written
// into a real database, by the storage tests (which must arrive at the same numbers).
#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "dialogs/digest.hpp"

namespace okr::digest_fixture {

using namespace okr::dialogs;

inline TimePoint utc(int y, unsigned m, unsigned d, int hour = 0) {
  using namespace std::chrono;
  return time_point_cast<seconds>(sys_days{year{y} / month{m} / day{d}} + hours{hour});
}

// Thursday of ISO week `w` of 2026, 10:00 UTC (W40 is Thursday 1 October).
inline TimePoint thursday(int w) {
  return utc(2026, 10, 1, 10) + std::chrono::days{7 * (w - 40)};
}

inline Person person(Id id, const std::string& name) {
  Person p;
  p.id = id;
  p.platform = "terminal";
  p.workspace = "local";
  p.user_ref = name;
  p.display_name = name;
  return p;
}

enum People : Id { ana = 1, ben = 2, cleo = 3, dan = 4, eve = 5, finn = 6 };
enum KeyResults : Id { deploy_days = 11, setup_guide = 12, nps = 21, churn = 22, release_checks = 31 };

inline KeyResult metric(Id id, Id objective, int position, std::string text, std::optional<double> baseline,
                        double target, std::string unit, Direction direction) {
  KeyResult kr;
  kr.id = id;
  kr.objective_id = objective;
  kr.position = position;
  kr.text = std::move(text);
  kr.kind = KeyResultKind::metric;
  kr.baseline = baseline;
  kr.target = target;
  kr.unit = std::move(unit);
  kr.direction = direction;
  return kr;
}

inline KeyResult milestone(Id id, Id objective, int position, std::string text) {
  KeyResult kr;
  kr.id = id;
  kr.objective_id = objective;
  kr.position = position;
  kr.text = std::move(text);
  kr.kind = KeyResultKind::milestone;
  return kr;
}

inline Objective objective(Id id, Id owner, std::string text, TimePoint created, std::vector<KeyResult> krs) {
  Objective o;
  o.id = id;
  o.person_id = owner;
  o.team_id = 1;
  o.cycle_id = 1;
  o.text = std::move(text);
  o.created_at = created;
  o.key_results = std::move(krs);
  return o;
}

inline CheckIn check_in(Id kr, Id who, int week, double value, int confidence, std::string blockers = "") {
  CheckIn c;
  c.key_result_id = kr;
  c.person_id = who;
  c.value = value;
  c.confidence = confidence;
  c.blockers = std::move(blockers);
  c.at = thursday(week);
  return c;
}

inline DigestMember member(Person p, std::vector<Role> roles, std::optional<TimePoint> joined) {
  return DigestMember{std::move(p), std::move(roles), joined};
}

struct Fixture {
  Team team;
  Cycle cycle;
  std::vector<Objective> objectives;
  std::vector<DigestMember> members;
  std::vector<CheckIn> check_ins;  // every check-in of the cycle, in time order
};

inline Fixture team_fixture() {
  Fixture f;
  f.team.id = 1;
  f.team.name = "Platform";
  f.cycle = Cycle{1, 1, "2026-Q4", utc(2026, 10, 1), utc(2027, 1, 1)};
  f.objectives = {
      objective(1, ana, "Make onboarding effortless", utc(2026, 10, 1),
                {metric(deploy_days, 1, 0, "Cut the time to a first deploy from 10 to 4 days", 10, 4, "days",
                        Direction::decrease),
                 milestone(setup_guide, 1, 1, "Ship the self-serve setup guide")}),
      objective(2, ben, "Keep customers with us", utc(2026, 10, 1),
                {metric(nps, 2, 0, "Raise NPS from 30 to 45", 30, 45, "", Direction::increase),
                 metric(churn, 2, 1, "Bring monthly churn down to 2%", std::nullopt, 2, "%", Direction::decrease)}),
      objective(3, cleo, "Make releases calm", utc(2026, 11, 16),
                {metric(release_checks, 3, 0, "Automate 8 release checks", 0, 8, "", Direction::increase)}),
  };
  f.members = {
      member(person(ana, "Ana"), {Role::member, Role::coach, Role::admin}, utc(2026, 9, 1)),
      member(person(ben, "Ben"), {Role::member}, std::nullopt),
      member(person(cleo, "Cleo"), {Role::member}, utc(2026, 11, 16)),
      member(person(dan, "Dan"), {Role::manager}, utc(2026, 9, 1)),
      member(person(eve, "Eve"), {Role::member}, utc(2026, 12, 22)),
      member(person(finn, "Finn"), {Role::member}, utc(2026, 9, 1)),
  };
  const double deploy[] = {10, 9.5, 9, 9, 8.5, 8, 8, 7.5, 7, 7, 6.5, 6};
  const int deploy_confidence[] = {5, 5, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7};
  for (int i = 0; i < 12; ++i) {
    const int week = 40 + i;
    const std::string blocker = week == 51   ? "Waiting on the security review"
                                : week == 50 ? "Holidays are coming"
                                             : "";
    f.check_ins.push_back(check_in(deploy_days, ana, week, deploy[i], deploy_confidence[i], blocker));
    f.check_ins.push_back(
        check_in(setup_guide, ana, week, week >= 46 ? 0.5 : 0.0, week == 51 ? 4 : 8, blocker));
  }
  // Ben skips weeks 42, 44, 45, 47, 48, 50 and 51.
  const int ben_weeks[] = {40, 41, 43, 46, 49};
  const double ben_nps[] = {31, 33, 35, 38, 42};
  const double ben_churn[] = {5, 4.5, 4, 4, 3};
  for (int i = 0; i < 5; ++i) {
    f.check_ins.push_back(check_in(nps, ben, ben_weeks[i], ben_nps[i], 6));
    f.check_ins.push_back(check_in(churn, ben, ben_weeks[i], ben_churn[i], 6));
  }
  const double checks[] = {1, 2, 2, 3, 3};
  for (int i = 0; i < 5; ++i)
    f.check_ins.push_back(
        check_in(release_checks, cleo, 47 + i, checks[i], 5, i == 4 ? "Need a staging environment" : ""));
  std::stable_sort(f.check_ins.begin(), f.check_ins.end(),
                   [](const CheckIn& a, const CheckIn& b) { return a.at < b.at; });
  Id next = 100;
  for (auto& c : f.check_ins) c.id = next++;
  return f;
}

// The source storage would hand over for `week`, judged at `generated_at`.
inline DigestSource source_for(const Fixture& f, IsoWeek week, TimePoint generated_at) {
  DigestSource s;
  s.team = f.team;
  s.cycle = f.cycle;
  s.week = week;
  s.bounds = bounds_of(week, "UTC");
  s.generated_at = generated_at;
  s.objectives = f.objectives;
  for (const auto& m : f.members) s.owners.push_back(m.person);
  s.members = f.members;
  std::vector<Id> checked;
  for (const auto& c : f.check_ins) {
    if (c.at < s.bounds.ends_at)
      s.check_ins.push_back(c);
    if (c.at >= s.bounds.starts_at && c.at < s.bounds.ends_at &&
        std::find(checked.begin(), checked.end(), c.person_id) == checked.end())
      checked.push_back(c.person_id);
  }
  s.checked_in_this_week = checked;
  return s;
}

}  // namespace okr::digest_fixture
