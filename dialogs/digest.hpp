#pragma once
// The weekly manager digest of one team (../shared/COACHING.md, "Check-ins, progress and risk"):
// per objective, each key result's progress, change since last week, confidence and its trend,
// at-risk flags with reasons, the blockers people wrote, and who checked in. Pure: storage hands
// in a DigestSource, compose_digest turns it into a Digest, the digest_render/digest_json files
// turn that into text, markdown, a neutral message or the stable JSON form (docs/digest.md).
#include <optional>
#include <string>
#include <vector>

#include "dialogs/digest_week.hpp"
#include "dialogs/domain.hpp"

namespace okr::dialogs {

struct DigestMember {
  Person person;
  std::vector<Role> roles;
  std::optional<TimePoint> joined_at;  // nothing: member since before anyone recorded it
};

// Everything a digest is computed from; storage/digest_source.hpp loads it in a few queries.
struct DigestSource {
  Team team;
  Cycle cycle;  // id 0 when the team has no stored cycle for the week (then no objectives)
  IsoWeek week;
  WeekBounds bounds;
  TimePoint generated_at{};
  std::vector<Objective> objectives;        // the team's objectives of the cycle, with key results
  std::vector<Person> owners;               // the people owning those objectives
  std::vector<CheckIn> check_ins;           // on those key results, before the week's end, any order
  std::vector<DigestMember> members;        // everyone with a role in the team
  std::vector<Id> checked_in_this_week;     // people with any check-in inside the week
};

enum class ConfidenceTrend { none, first, up, steady, down };

enum class DigestRisk {
  low_confidence,      // confidence 4 or less
  behind_pace,         // progress trails the time elapsed by more than 20 points
  confidence_dropped,  // confidence fell by 3 or more since last week
  no_recent_check_in,  // nothing recorded for two weeks or more
};

struct DigestKeyResult {
  KeyResult key_result;
  std::optional<double> value;         // as of the week's end; nothing before the first check-in
  std::optional<double> progress;      // 0..1; nothing when there is no target to measure against
  std::optional<double> change;        // progress change since the end of last week
  std::optional<int> confidence;       // latest by the week's end
  std::optional<int> previous_confidence;  // latest by last week's end
  ConfidenceTrend trend = ConfidenceTrend::none;
  double expected_progress = 0;        // the fraction of the key result's time elapsed
  std::optional<TimePoint> last_check_in;
  std::vector<DigestRisk> risks;       // empty: on track
  bool at_risk() const { return !risks.empty(); }
};

struct DigestBlocker {
  std::string text;    // in the author's words
  std::string author;  // display name
  Id key_result_id = 0;
  TimePoint at{};
};

struct DigestObjective {
  Objective objective;  // key_results inside are the stored ones; see `key_results` for the view
  std::string owner;    // display name
  std::optional<double> progress;  // mean of the key results that have one
  std::vector<DigestKeyResult> key_results;
  std::vector<DigestBlocker> blockers;  // written this week, oldest first, each once per author
};

struct DigestPerson {
  Id id = 0;
  std::string name;
};

struct Digest {
  Team team;
  std::string cycle_label;
  TimePoint cycle_starts_at{};
  TimePoint cycle_ends_at{};
  IsoWeek week;
  WeekBounds bounds;
  TimePoint generated_at{};
  std::vector<DigestObjective> objectives;
  std::vector<DigestPerson> checked_in;      // members who checked in this week, by name
  std::vector<DigestPerson> not_checked_in;  // members (joined by the week's end) who did not
  int key_result_count = 0;
  int at_risk_count = 0;
  std::string headline;  // "3 of 11 key results at risk; 2 people have not checked in"
};

Digest compose_digest(const DigestSource& source);

std::string headline_of(int key_results, int at_risk, int members, int not_checked_in);
const char* to_string(ConfidenceTrend trend);
const char* to_string(DigestRisk risk);        // stable token: "low_confidence", …
std::string describe(DigestRisk risk);         // words for people: "confidence is 4 or below"
std::string name_of(const Person& person);     // display name, else the platform's user ref

}  // namespace okr::dialogs
