#pragma once
// Stored schedules (migration 4) and the claim that fires them. A claim is one IMMEDIATE
// transaction: it selects the due rows, asks the caller for each one's messages, queues them in
// the outbox and moves next_due_at to the next occurrence (or finishes a one-off) — so a second
// claim for the same instant finds nothing, and a crash leaves either all of it or none.
//
// Catch-up: an occurrence less than `max_catch_up` late fires once; an older one is skipped
// (reported, so the caller can log it). Either way the next occurrence is the first one after
// `now`, never one per missed week.
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "dialogs/domain.hpp"
#include "dialogs/schedule.hpp"
#include "storage/outbox.hpp"

namespace okr::storage {

class Database;

// The first occurrence of `schedule` strictly after `after` (cycle ends from the team's cycle
// length); nullopt when none. An unknown zone reads as UTC, so one bad profile cannot stop the
// scheduler.
std::optional<dialogs::TimePoint> next_due_after(const dialogs::Schedule& schedule,
                                                 dialogs::TimePoint after, int cycle_months);

// What the scheduler sends for one due occurrence of a schedule. Runs inside the claim's
// transaction: reads through the repositories see (and writes join) it.
using ComposeFiring = std::function<std::vector<OutboxItem>(const dialogs::Schedule& schedule,
                                                            dialogs::TimePoint due)>;

// Called once per claim with the schedules about to be composed (due and not too late), before
// the first compose: lets the caller read what the whole batch needs in one go.
using PrepareFirings = std::function<void(const std::vector<dialogs::Schedule>& schedules)>;

struct LateOccurrence {
  dialogs::Id schedule_id = 0;
  dialogs::TimePoint due{};
};

struct ClaimReport {
  std::size_t fired = 0;                // occurrences that were composed
  std::size_t messages = 0;             // outbox rows queued
  std::vector<LateOccurrence> skipped;  // too late (over max_catch_up): not sent
  bool more = false;                    // the limit was reached; claim again for the rest
};

class Schedules {
 public:
  explicit Schedules(Database& db) : db_(db) {}

  // Stores `schedule` with its next_due_at computed as the first occurrence after `now` (a
  // one-off with none left is stored finished). Returns it with id and next_due_at.
  // Joins the caller's transaction when there is one.
  dialogs::Schedule add(dialogs::Schedule schedule, dialogs::TimePoint now);
  std::optional<dialogs::Schedule> by_id(dialogs::Id id);
  // Schedules that reach this person: their own, those they set up for others, and the
  // team-wide ones of these teams.
  // Active ones only, soonest first.
  std::vector<dialogs::Schedule> reaching(dialogs::Id person_id,
                                          const std::vector<dialogs::Id>& team_ids);
  // Every schedule of the team (any state), by id.
  std::vector<dialogs::Schedule> of_team(dialogs::Id team_id);
  // Deletes a custom schedule; a team default becomes `stopped` instead (so syncing the
  // defaults does not bring it back). False when there is no such schedule.
  bool remove(dialogs::Id id);
  // Moves an active schedule's next occurrence (used by "skip this week").
  void set_next_due(dialogs::Id id, std::optional<dialogs::TimePoint> next_due_at);

  // The earliest next_due_at of an active schedule: when the scheduler must wake.
  std::optional<dialogs::TimePoint> next_due();
  // Claims at most `limit` occurrences due at `now` (see the top of this file).
  ClaimReport claim_due(dialogs::TimePoint now, std::chrono::seconds max_catch_up,
                        std::size_t limit, const ComposeFiring& compose,
                        const PrepareFirings& prepare = {});

 private:
  Database& db_;
};

// Makes the team's default schedules match its program settings and members: per member a
// check-in nudge on checkin_weekday at checkin_time in the member's own zone and a reminder
// reminder_hours later (none when 0); per team the digest on digest_weekday at digest_time and
// a reflection prompt at the cycle's end, both in the team's zone. Unchanged schedules keep
// their next_due_at; changed ones are recomputed from `now`; those of people who left are
// deleted. Idempotent. Call after settings are saved and whenever someone joins or leaves.
void sync_default_schedules(Database& db, dialogs::Id team_id, dialogs::TimePoint now);
// The same with `now` from the system clock, for callers that have no clock of their own (the
// team commands); joins the caller's transaction like the above.
void sync_default_schedules(Database& db, dialogs::Id team_id);
// Every team's, one transaction per team (at start-up and before a `tick`).
void sync_all_default_schedules(Database& db, dialogs::TimePoint now);

}  // namespace okr::storage
