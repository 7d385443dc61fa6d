#pragma once
// One scheduler pass: claim the schedules due at `now`, turn each occurrence into outbox rows
// (nudges, reminders, reflection prompts, digests) in the claim's transaction, and report.
// The outbox dispatchers send the rows. Used by `tick` (one pass) and by SchedulerLoop (serve).
#include <chrono>
#include <cstddef>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "dialogs/domain.hpp"
#include "dialogs/schedule.hpp"
#include "storage/outbox.hpp"

namespace okr::storage {
class Database;
}

namespace okr::bot::pipeline {

struct SchedulerSettings {
  std::chrono::seconds max_catch_up{std::chrono::hours{12}};  // config.max_catch_up
  std::size_t batch = 500;  // occurrences per claim transaction (short write locks)
  // Platforms whose messages can be delivered (a sender exists); a recipient elsewhere (e.g.
  // "terminal") gets nothing, with a debug log.
  std::set<std::string> platforms{"slack"};
  // Runs at the start of each pass, outside the claim's transaction, on the pass's connection:
  // chores that need a platform (e.g. reading bound channels' members once a day). A throw is
  // logged and the pass goes on.
  std::function<void(storage::Database&, dialogs::TimePoint)> before_pass;
};

struct SchedulerReport {
  std::size_t fired = 0;
  std::size_t messages = 0;
  std::size_t skipped_late = 0;
};

// The messages of one occurrence of `schedule` due at `due` (reads the team, its members, their
// check-ins; `now` is the generation time). Exposed for tests.
std::vector<storage::OutboxItem> compose_firing(storage::Database& db,
                                                const dialogs::Schedule& schedule,
                                                dialogs::TimePoint due, dialogs::TimePoint now,
                                                const SchedulerSettings& settings);

// Claims everything due at `now` (batch by batch) and queues its messages. Late occurrences
// beyond max_catch_up are logged and skipped. Throws storage::StorageError.
SchedulerReport run_scheduler_pass(storage::Database& db, dialogs::TimePoint now,
                                   const SchedulerSettings& settings);

}  // namespace okr::bot::pipeline
