#include "bot/web/demo_team.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <date/date.h>

#include "storage/check_ins.hpp"
#include "storage/memberships.hpp"
#include "storage/objectives.hpp"
#include "storage/people.hpp"
#include "storage/teams.hpp"
#include "storage/turn_commit.hpp"
#include "storage/web_demo_cycle.hpp"

namespace okr::bot::web {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using Days = date::days;

struct DemoPerson {
  std::string ref;
  std::string name;
  std::string zone;
  int last_week;  // the last week (1-based) they check in
};

// How one key result moves over the twelve weeks, and how sure its owner feels.
struct DemoKeyResult {
  std::string text;
  dialogs::KeyResultKind kind;
  double baseline;
  double target;
  std::string unit;
  dialogs::Direction direction;
  double end_fraction;      // where week 12 lands, as a fraction of the way to the target
  int start_confidence;     // week 1
  int end_confidence;       // week 12 (a drop of 3+ late in the cycle shows as a risk)
  int milestone_done_week;  // milestones: the week it is delivered (0 = not this cycle)
  std::size_t owner;        // index into the people; this person checks in on it
  std::vector<std::pair<int, std::string>> blockers;  // week -> what got in the way
};

struct DemoObjective {
  std::size_t owner;
  std::string text;
  std::string why;
  std::vector<DemoKeyResult> key_results;
};

// Noise from the raw engine output (its sequence is fixed by the standard), not from a
// distribution class whose algorithm differs between standard libraries.
double unit_noise(std::mt19937& rng) {
  return static_cast<double>(rng() % 10001) / 10000.0 - 0.5;  // -0.5 .. 0.5
}

std::vector<DemoPerson> demo_people(const std::string& web_user) {
  return {{web_user, web_user, "Europe/Berlin", kDemoWeeks},
          {"amara", "Amara", "Europe/London", kDemoWeeks},
          {"bruno", "Bruno", "America/Sao_Paulo", kDemoWeeks},
          {"chen", "Chen", "Asia/Singapore", kDemoWeeks},
          {"dana", "Dana", "America/New_York", 7}};
}

std::vector<DemoObjective> demo_objectives() {
  using K = dialogs::KeyResultKind;
  using D = dialogs::Direction;
  return {
      {0,
       "Make our onboarding something new customers love",
       "New customers who get value in their first week stay; today too many give up early.",
       {{"Raise 30-day activation from 40% to 60%", K::metric, 40, 60, "%", D::increase, 0.9, 5, 7, 0, 0,
         {{4, "The activation event was counted twice in the old dashboard."}}},
        {"Cut the time to first value from 14 days to 5 days", K::metric, 14, 5, "days", D::decrease,
         0.85, 4, 6, 0, 0, {}},
        {"Publish the self-serve setup guide", K::milestone, 0, 1, "", D::increase, 1.0, 6, 8, 9, 0,
         {{6, "Waiting for screenshots of the new settings page."}}}}},
      {1,
       "Keep the service calm and reliable for our customers",
       "Every incident costs a customer's trust and a night of someone's sleep.",
       {{"Reduce customer-facing incidents from 12 to 4 a month", K::metric, 12, 4, "", D::decrease,
         0.8, 5, 7, 0, 1, {}},
        {"Raise uptime from 99.5% to 99.9%", K::metric, 99.5, 99.9, "%", D::increase, 0.45, 6, 3, 0,
         2,
         {{9, "The new load balancer is still waiting for the platform team."},
          {11, "Two outages at the data centre this month; nothing we could change."}}}}},
      {3,
       "Make our customers' voice part of every release",
       "We guess too often what customers need; hearing them first saves whole sprints.",
       {{"Grow NPS from 30 to 45", K::metric, 30, 45, "", D::increase, 0.7, 5, 5, 0, 3, {}},
        {"Interview 40 customers this cycle", K::metric, 0, 40, "", D::increase, 0.45, 6, 4, 0, 4,
         {{6, "Hard to find interview slots before the holidays."}}}}},
  };
}

// The value on week `week` (1..12): an S-shaped path to the week-12 value with noise that
// shrinks nothing to zero, so the chart looks like real measurements.
double value_on(const DemoKeyResult& kr, int week, std::mt19937& rng) {
  if (kr.kind == dialogs::KeyResultKind::milestone)
    return kr.milestone_done_week > 0 && week >= kr.milestone_done_week ? 1.0 : 0.0;
  const double t = static_cast<double>(week) / kDemoWeeks;
  const double shape = t * t * (3 - 2 * t);  // slow start, steady middle, easing off
  const double span = kr.target - kr.baseline;
  const double noisy = kr.end_fraction * shape + 0.06 * unit_noise(rng);
  const double fraction = week == kDemoWeeks ? kr.end_fraction : std::clamp(noisy, -0.05, 1.05);
  const double value = kr.baseline + span * fraction;
  // Counts and day numbers are whole; percentages keep one decimal.
  const double scale = kr.unit == "%" ? (std::abs(span) < 5 ? 100.0 : 10.0) : 1.0;
  return std::round(value * scale) / scale;
}

int confidence_on(const DemoKeyResult& kr, int week, std::mt19937& rng) {
  const double t = static_cast<double>(week - 1) / (kDemoWeeks - 1);
  const double drift = kr.start_confidence + (kr.end_confidence - kr.start_confidence) * t;
  const double wobble = week == kDemoWeeks ? 0.0 : 1.6 * unit_noise(rng);
  return std::clamp(static_cast<int>(std::lround(drift + wobble)), 1, 10);
}

}  // namespace

DemoTeamResult add_demo_team(storage::Database& db, const std::string& web_user,
                             dialogs::TimePoint now, std::uint32_t seed) {
  DemoTeamResult result;
  if (storage::Teams(db).by_name(kDemoTeamName))
    return result;

  const auto today = date::floor<Days>(now);
  const auto monday = today - (date::weekday{today} - date::Monday);
  // Week 12 is the current week, so this week's digest has check-ins to show.
  const dialogs::TimePoint starts_at{
      date::sys_days{monday - Days{7 * (kDemoWeeks - 1)}}.time_since_epoch()};
  const dialogs::TimePoint ends_at = starts_at + Days{7 * (kDemoWeeks + 1)};
  std::mt19937 rng(seed);

  storage::commit_command(db, std::nullopt, now, [&] {
    auto team = storage::Teams(db).find_or_create(kDemoTeamName);
    auto settings = team.settings;
    settings.time_zone = "Europe/Berlin";
    storage::Teams(db).save_settings(team.id, settings);
    result.cycle = storage::add_team_cycle(db, team.id, "Demo cycle", starts_at, ends_at);

    const auto people = demo_people(web_user);
    std::vector<dialogs::Person> stored;
    storage::Memberships memberships(db);
    for (const auto& p : people) {
      dialogs::Person identity;
      identity.platform = "web";
      identity.workspace = "local";
      identity.user_ref = p.ref;
      identity.display_name = p.name;
      identity.time_zone = p.zone;
      stored.push_back(storage::People(db).find_or_create(identity));
      // The first to join (the web person) also becomes the team's coach and admin.
      memberships.join(team.id, stored.back().id);
    }
    memberships.grant(team.id, stored.front().id, dialogs::Role::manager);
    result.people = static_cast<int>(stored.size());

    storage::CheckIns check_ins(db);
    for (const auto& o : demo_objectives()) {
      dialogs::Objective objective;
      objective.person_id = stored[o.owner].id;
      objective.team_id = team.id;
      objective.cycle_id = result.cycle.id;
      objective.text = o.text;
      objective.why = o.why;
      objective.created_at = starts_at + Days{1} + hours{10};
      for (const auto& k : o.key_results) {
        dialogs::KeyResult kr;
        kr.text = k.text;
        kr.kind = k.kind;
        kr.unit = k.unit;
        kr.direction = k.direction;
        if (k.kind != dialogs::KeyResultKind::milestone) {
          kr.baseline = k.baseline;
          kr.target = k.target;
        }
        objective.key_results.push_back(kr);
      }
      const auto saved = storage::Objectives(db).add(objective);
      ++result.objectives;
      for (std::size_t i = 0; i < saved.key_results.size(); ++i) {
        const auto& plan = o.key_results[i];
        const auto& person = people[plan.owner];
        ++result.key_results;
        for (int week = 1; week <= person.last_week; ++week) {
          dialogs::CheckIn c;
          c.key_result_id = saved.key_results[i].id;
          c.person_id = stored[plan.owner].id;
          c.value = value_on(plan, week, rng);
          c.confidence = confidence_on(plan, week, rng);
          for (const auto& [blocked_week, text] : plan.blockers) {
            if (blocked_week == week)
              c.blockers = text;
          }
          // Mondays (the team's check-in day) between 09:00 and 11:00, a little later each person.
          // This week's check-ins are never in the future, even early on a Monday.
          const auto week_start = starts_at + Days{7 * (week - 1)};
          c.at = week_start + hours{9} +
                 minutes{static_cast<int>(plan.owner) * 17 + static_cast<int>(rng() % 40)};
          c.at = std::max(week_start, std::min(c.at, now - minutes{1}));
          check_ins.record(c);
          ++result.check_ins;
        }
      }
    }
    return std::vector<storage::OutboxItem>{};
  });
  result.created = true;
  return result;
}

}  // namespace okr::bot::web
