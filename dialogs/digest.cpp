#include "dialogs/digest.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include <date/date.h>

#include "dialogs/progress.hpp"
#include "dialogs/words.hpp"

namespace okr::dialogs {
namespace {

constexpr auto stale_after = std::chrono::days{14};

// A key result due on a date is due at the end of that day; an unreadable date falls back to
// the cycle's end rather than inventing one.
TimePoint due_of(const KeyResult& kr, const Cycle& cycle) {
  if (!kr.deadline)
    return cycle.ends_at;
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if (std::sscanf(kr.deadline->c_str(), "%d-%u-%u", &y, &m, &d) != 3)
    return cycle.ends_at;
  const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok())
    return cycle.ends_at;
  return TimePoint{(date::sys_days{ymd} + date::days{1}).time_since_epoch()};
}

void add_risk(std::vector<DigestRisk>& risks, DigestRisk risk) {
  if (std::find(risks.begin(), risks.end(), risk) == risks.end())
    risks.push_back(risk);
}

std::vector<DigestRisk> risks_of(const DigestKeyResult& view, TimePoint schedule_start,
                                 TimePoint as_of) {
  std::vector<DigestRisk> risks;
  const double progress =
      view.progress.value_or(view.expected_progress);  // no target: no pace to trail
  // Without any check-in there is no confidence to judge; 10 raises no confidence reason, so only
  // the pace counts then.
  const auto assessed = assess_risk(progress, view.expected_progress, view.confidence.value_or(10),
                                    view.confidence ? view.previous_confidence : std::nullopt);
  for (RiskReason reason : assessed.reasons) {
    switch (reason) {
      case RiskReason::low_confidence:
      case RiskReason::very_low_confidence:
        add_risk(risks, DigestRisk::low_confidence);
        break;
      case RiskReason::behind_schedule:
      case RiskReason::far_behind:
        add_risk(risks, DigestRisk::behind_pace);
        break;
      case RiskReason::confidence_dropped:
        add_risk(risks, DigestRisk::confidence_dropped);
        break;
    }
  }
  // A finished key result needs no further check-ins to stay finished.
  const bool done = view.progress && *view.progress >= 1.0;
  const TimePoint quiet_since = view.last_check_in.value_or(schedule_start);
  if (!done && as_of - quiet_since >= stale_after)
    add_risk(risks, DigestRisk::no_recent_check_in);
  return risks;
}

DigestKeyResult view_of(const KeyResult& kr, const std::vector<const CheckIn*>& history,
                        const Objective& objective, const DigestSource& source, TimePoint as_of) {
  DigestKeyResult view;
  view.key_result = kr;
  const CheckIn* by_end = nullptr;
  const CheckIn* by_last_week = nullptr;
  for (const CheckIn* c : history) {  // oldest first
    if (c->at >= source.bounds.ends_at || c->at > as_of)
      break;
    by_end = c;
    if (c->at < source.bounds.starts_at)
      by_last_week = c;
  }
  if (by_end) {
    view.value = by_end->value;
    view.confidence = by_end->confidence;
    view.last_check_in = by_end->at;
  }
  if (by_last_week)
    view.previous_confidence = by_last_week->confidence;
  view.progress = key_result_progress(kr, view.value);
  if (by_end && view.progress) {
    // Before the first check-in a key result stands where it started: no progress yet.
    const auto before =
        key_result_progress(kr, by_last_week ? std::optional(by_last_week->value) : std::nullopt);
    if (before)
      view.change = *view.progress - *before;
  }
  if (!view.confidence)
    view.trend = ConfidenceTrend::none;
  else if (!view.previous_confidence)
    view.trend = ConfidenceTrend::first;
  else if (*view.confidence > *view.previous_confidence)
    view.trend = ConfidenceTrend::up;
  else if (*view.confidence < *view.previous_confidence)
    view.trend = ConfidenceTrend::down;
  else
    view.trend = ConfidenceTrend::steady;

  // Expected progress runs from when the objective was set, not from the cycle's first day: an
  // OKR drafted in week six is not behind on the day it is saved.
  const TimePoint start = std::max(source.cycle.starts_at, objective.created_at);
  view.expected_progress = elapsed_fraction(start, due_of(kr, source.cycle), as_of);
  view.risks = risks_of(view, start, as_of);
  return view;
}

}  // namespace

std::string name_of(const Person& person) {
  return person.display_name.empty() ? person.user_ref : person.display_name;
}

Digest compose_digest(const DigestSource& source) {
  Digest digest;
  digest.team = source.team;
  digest.cycle_label = source.cycle.label;
  digest.cycle_starts_at = source.cycle.starts_at;
  digest.cycle_ends_at = source.cycle.ends_at;
  digest.week = source.week;
  digest.bounds = source.bounds;
  digest.generated_at = source.generated_at;
  // A past week is judged as it stood at its end; the current week as it stands now.
  const TimePoint as_of = std::min(source.generated_at, source.bounds.ends_at);

  std::map<Id, std::string> names;
  for (const auto& p : source.owners)
    names[p.id] = name_of(p);
  for (const auto& m : source.members)
    names[m.person.id] = name_of(m.person);

  std::map<Id, std::vector<const CheckIn*>> history;
  for (const auto& c : source.check_ins)
    history[c.key_result_id].push_back(&c);
  for (auto& [id, list] : history)
    std::stable_sort(list.begin(), list.end(),
                     [](const CheckIn* a, const CheckIn* b) { return a->at < b->at; });
  static const std::vector<const CheckIn*> none;

  for (const auto& objective : source.objectives) {
    // An objective set after the week did not exist in it.
    if (objective.created_at >= source.bounds.ends_at)
      continue;
    DigestObjective out;
    out.objective = objective;
    out.owner =
        names.count(objective.person_id) ? names[objective.person_id] : std::string("someone");
    std::vector<KeyResult> ordered = objective.key_results;
    std::stable_sort(ordered.begin(), ordered.end(), [](const KeyResult& a, const KeyResult& b) {
      return a.position < b.position;
    });
    double sum = 0;
    int counted = 0;
    std::vector<const CheckIn*> this_week;
    for (const auto& kr : ordered) {
      const auto found = history.find(kr.id);
      const auto& list = found == history.end() ? none : found->second;
      out.key_results.push_back(view_of(kr, list, objective, source, as_of));
      const auto& view = out.key_results.back();
      if (view.progress) {
        sum += *view.progress;
        ++counted;
      }
      ++digest.key_result_count;
      if (view.at_risk())
        ++digest.at_risk_count;
      for (const CheckIn* c : list)
        if (c->at >= source.bounds.starts_at && c->at < source.bounds.ends_at && c->at <= as_of)
          this_week.push_back(c);
    }
    if (counted > 0)
      out.progress = sum / counted;
    std::stable_sort(this_week.begin(), this_week.end(),
                     [](const CheckIn* a, const CheckIn* b) { return a->at < b->at; });
    // One check-in writes the same blocker on every key result it covers; say it once.
    std::set<std::pair<Id, std::string>> said;
    for (const CheckIn* c : this_week) {
      auto text = std::string(trim(c->blockers));
      if (text.empty() || !said.insert({c->person_id, text}).second)
        continue;
      out.blockers.push_back(
          DigestBlocker{text, names.count(c->person_id) ? names[c->person_id] : "someone",
                        c->key_result_id, c->at});
    }
    digest.objectives.push_back(std::move(out));
  }

  const std::set<Id> checked(source.checked_in_this_week.begin(),
                             source.checked_in_this_week.end());
  int members = 0;
  for (const auto& m : source.members) {
    const bool is_member = std::find(m.roles.begin(), m.roles.end(), Role::member) != m.roles.end();
    // Someone who joined after the week was not expected to check in during it.
    if (!is_member || (m.joined_at && *m.joined_at >= source.bounds.ends_at))
      continue;
    ++members;
    DigestPerson person{m.person.id, name_of(m.person)};
    (checked.count(m.person.id) ? digest.checked_in : digest.not_checked_in)
        .push_back(std::move(person));
  }
  auto by_name = [](const DigestPerson& a, const DigestPerson& b) {
    return a.name != b.name ? a.name < b.name : a.id < b.id;
  };
  std::sort(digest.checked_in.begin(), digest.checked_in.end(), by_name);
  std::sort(digest.not_checked_in.begin(), digest.not_checked_in.end(), by_name);
  digest.headline = headline_of(digest.key_result_count, digest.at_risk_count, members,
                                static_cast<int>(digest.not_checked_in.size()));
  return digest;
}

std::string headline_of(int key_results, int at_risk, int members, int not_checked_in) {
  std::string out;
  if (key_results == 0)
    out = "No key results set for this cycle yet";
  else if (at_risk == 0)
    out = key_results == 1 ? "The one key result is on track"
                           : "All " + std::to_string(key_results) + " key results on track";
  else
    out = std::to_string(at_risk) + " of " + std::to_string(key_results) +
          (key_results == 1 ? " key result" : " key results") + " at risk";
  if (members == 0)
    return out;
  if (not_checked_in == 0)
    return out + "; everyone checked in";
  return out + "; " + std::to_string(not_checked_in) +
         (not_checked_in == 1 ? " person has not checked in" : " people have not checked in");
}

const char* to_string(ConfidenceTrend trend) {
  switch (trend) {
    case ConfidenceTrend::none:
      return "none";
    case ConfidenceTrend::first:
      return "first";
    case ConfidenceTrend::up:
      return "up";
    case ConfidenceTrend::steady:
      return "steady";
    case ConfidenceTrend::down:
      return "down";
  }
  return "none";
}

const char* to_string(DigestRisk risk) {
  switch (risk) {
    case DigestRisk::low_confidence:
      return "low_confidence";
    case DigestRisk::behind_pace:
      return "behind_pace";
    case DigestRisk::confidence_dropped:
      return "confidence_dropped";
    case DigestRisk::no_recent_check_in:
      return "no_recent_check_in";
  }
  return "unknown";
}

std::string describe(DigestRisk risk) {
  switch (risk) {
    case DigestRisk::low_confidence:
      return "confidence is 4 or below";
    case DigestRisk::behind_pace:
      return "more than 20 points behind the time elapsed";
    case DigestRisk::confidence_dropped:
      return "confidence dropped by 3 or more";
    case DigestRisk::no_recent_check_in:
      return "no check-in for two weeks or more";
  }
  return "unknown";
}

}  // namespace okr::dialogs
