#include "bot/pipeline/scheduler.hpp"

#include <date/date.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <tuple>

#include "bot/pipeline/team_digest.hpp"
#include "dialogs/schedule_nudge.hpp"
#include "storage/check_ins.hpp"
#include "storage/codec.hpp"
#include "storage/memberships.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
#include "storage/team_channels.hpp"
#include "storage/teams.hpp"

namespace okr::bot::pipeline {
namespace {

// A composed message with the outbox's encoding of it, made once and shared by every item
// that sends it.
struct SharedMessage {
  dialogs::Outbound message;
  std::shared_ptr<const std::string> encoded;
};

// What the schedules of one claim batch share: their people, read in one query before the
// first compose, and each distinct nudge text composed and encoded once (a check-in nudge,
// reminder or reflection prompt depends only on its kind and question set, never on the person).
struct BatchContext {
  std::map<dialogs::Id, dialogs::Person> people;
  std::map<std::tuple<dialogs::ScheduleKind, std::string, bool>, SharedMessage> messages;
};

bool holds(const storage::Member& member, dialogs::Role role) {
  return std::find(member.roles.begin(), member.roles.end(), role) != member.roles.end();
}

// Who an occurrence speaks to: the schedule's person, or the team's members (its managers for
// a digest).
std::vector<dialogs::Person> recipients(storage::Database& db, const dialogs::Schedule& s,
                                        const BatchContext* batch) {
  std::vector<dialogs::Person> out;
  if (s.person_id != 0) {
    if (batch) {
      // Read with the batch; absent means the person is gone, as by_id would say.
      if (const auto it = batch->people.find(s.person_id); it != batch->people.end())
        out.push_back(it->second);
      return out;
    }
    if (auto p = storage::People(db).by_id(s.person_id))
      out.push_back(std::move(*p));
    return out;
  }
  if (s.team_id == 0)
    return out;
  const auto role =
      s.kind == dialogs::ScheduleKind::digest ? dialogs::Role::manager : dialogs::Role::member;
  for (auto& member : storage::Memberships(db).members(s.team_id)) {
    if (holds(member, role))
      out.push_back(std::move(member.person));
  }
  return out;
}

int reminder_hours_of(storage::Database& db, dialogs::Id team_id) {
  if (team_id != 0) {
    if (const auto team = storage::Teams(db).by_id(team_id))
      return std::max(team->settings.reminder_hours, 1);
  }
  return dialogs::ProgramSettings{}.reminder_hours;
}

// A DM: the platform's user id is the conversation key the senders understand (Slack opens
// the DM channel for it).
storage::OutboxItem direct_message(const dialogs::Person& person, const SharedMessage& message,
                                   const dialogs::Schedule& s, dialogs::TimePoint due) {
  storage::OutboxItem item;
  item.address.platform = person.platform;
  item.address.workspace = person.workspace;
  item.address.conversation = person.user_ref;
  item.address.kind = "post";
  item.address.user = person.user_ref;
  item.message = message.message;
  item.encoded_message = message.encoded;
  // Stable per occurrence and person: a re-send after a crash is recognisable as the same one.
  item.idempotency_key = "schedule-" + std::to_string(s.id) + "-" +
                         std::to_string(storage::to_unix(due)) + "-" + std::to_string(person.id);
  return item;
}

// A schedule with a channel posts once in that channel (the team's bound channel) instead of
// each recipient's DM. A channel no longer bound to the team gets nothing: its people may no
// longer be the team's.
std::vector<storage::OutboxItem> in_channel(storage::Database& db, dialogs::Outbound message,
                                            const dialogs::Schedule& s, dialogs::TimePoint due,
                                            const SchedulerSettings& settings) {
  std::vector<storage::OutboxItem> out;
  for (const auto& binding : storage::TeamChannels(db).of_team(s.team_id)) {
    if (binding.channel != s.channel)
      continue;
    if (settings.platforms.count(binding.platform) == 0) {
      spdlog::debug("schedule {}: no sender for platform {}; nothing posted in {}", s.id,
                    binding.platform, s.channel);
      return out;
    }
    storage::OutboxItem item;
    item.address.platform = binding.platform;
    item.address.workspace = binding.workspace;
    item.address.conversation = binding.channel;
    item.address.kind = "post";
    item.message = std::move(message);
    item.idempotency_key = "schedule-" + std::to_string(s.id) + "-" +
                           std::to_string(storage::to_unix(due)) + "-" + binding.channel;
    out.push_back(std::move(item));
    return out;
  }
  spdlog::warn("schedule {}: channel {} is no longer bound to team {}; nothing posted", s.id,
               s.channel, s.team_id);
  return out;
}

std::optional<dialogs::Outbound> compose_message(storage::Database& db,
                                                const dialogs::Schedule& schedule,
                                                dialogs::TimePoint now) {
  std::optional<dialogs::Outbound> message;
  switch (schedule.kind) {
    case dialogs::ScheduleKind::checkin:
      message = dialogs::checkin_nudge(schedule.dialog);
      break;
    case dialogs::ScheduleKind::reminder:
      message = dialogs::checkin_reminder(schedule.dialog);
      break;
    case dialogs::ScheduleKind::reflect:
      message = dialogs::reflection_prompt(
          schedule.dialog, std::holds_alternative<dialogs::AtCycleEnd>(schedule.recurrence));
      break;
    case dialogs::ScheduleKind::digest:
      if (schedule.team_id != 0)
        message = weekly_digest_message(db, schedule.team_id, now);
      if (!message)
        spdlog::debug("schedule {}: team {} has no digest to send this week", schedule.id,
                      schedule.team_id);
      break;
  }
  return message;
}

std::optional<SharedMessage> shared(std::optional<dialogs::Outbound> message) {
  if (!message)
    return std::nullopt;
  auto encoded = storage::encode_message(*message);
  return SharedMessage{std::move(*message), std::move(encoded)};
}

// The occurrence's message, from the batch's shelf when an equal one was composed already;
// otherwise composed into `own`. Null when there is nothing to send.
const SharedMessage* message_for(storage::Database& db, const dialogs::Schedule& schedule,
                                 dialogs::TimePoint now, BatchContext* batch,
                                 std::optional<SharedMessage>& own) {
  if (!batch || schedule.kind == dialogs::ScheduleKind::digest) {
    own = shared(compose_message(db, schedule, now));
    return own ? &*own : nullptr;
  }
  auto key = std::make_tuple(schedule.kind, schedule.dialog,
                             std::holds_alternative<dialogs::AtCycleEnd>(schedule.recurrence));
  if (const auto it = batch->messages.find(key); it != batch->messages.end())
    return &it->second;
  auto message = shared(compose_message(db, schedule, now));
  if (!message)
    return nullptr;
  return &batch->messages.emplace(std::move(key), std::move(*message)).first->second;
}

std::vector<storage::OutboxItem> compose(storage::Database& db, const dialogs::Schedule& schedule,
                                         dialogs::TimePoint due, dialogs::TimePoint now,
                                         const SchedulerSettings& settings, BatchContext* batch) {
  std::optional<SharedMessage> own;
  const SharedMessage* message = message_for(db, schedule, now, batch, own);
  std::vector<storage::OutboxItem> out;
  if (!message)
    return out;
  if (!schedule.channel.empty())
    return in_channel(db, message->message, schedule, due, settings);

  std::optional<dialogs::TimePoint> checked_in_since;
  if (schedule.kind == dialogs::ScheduleKind::reminder)
    checked_in_since = due - std::chrono::hours{reminder_hours_of(db, schedule.team_id)};

  storage::CheckIns check_ins(db);
  for (const auto& person : recipients(db, schedule, batch)) {
    if (settings.platforms.count(person.platform) == 0) {
      spdlog::debug("schedule {}: no sender for platform {}; nothing sent to person {}",
                    schedule.id, person.platform, person.id);
      continue;
    }
    // A reminder only reaches those who have not checked in since the nudge.
    if (checked_in_since && !check_ins.of_person_since(person.id, *checked_in_since).empty())
      continue;
    out.push_back(direct_message(person, *message, schedule, due));
  }
  return out;
}

}  // namespace

std::vector<storage::OutboxItem> compose_firing(storage::Database& db,
                                                const dialogs::Schedule& schedule,
                                                dialogs::TimePoint due, dialogs::TimePoint now,
                                                const SchedulerSettings& settings) {
  return compose(db, schedule, due, now, settings, nullptr);
}

SchedulerReport run_scheduler_pass(storage::Database& db, dialogs::TimePoint now,
                                   const SchedulerSettings& settings) {
  SchedulerReport report;
  if (settings.before_pass) {
    try {
      settings.before_pass(db, now);
    } catch (const std::exception& error) {
      spdlog::warn("scheduler: a chore before the pass failed: {}", error.what());
    }
  }
  storage::Schedules schedules(db);
  BatchContext batch;
  const auto prepare = [&](const std::vector<dialogs::Schedule>& firing) {
    batch = BatchContext{};
    std::vector<dialogs::Id> ids;
    for (const auto& s : firing) {
      if (s.person_id != 0)
        ids.push_back(s.person_id);
    }
    batch.people = storage::People(db).by_ids(ids);
  };
  const auto compose_one = [&](const dialogs::Schedule& s, dialogs::TimePoint due) {
    return compose(db, s, due, now, settings, &batch);
  };
  for (;;) {
    const auto claim =
        schedules.claim_due(now, settings.max_catch_up, std::max<std::size_t>(settings.batch, 1),
                            compose_one, prepare);
    report.fired += claim.fired;
    report.messages += claim.messages;
    report.skipped_late += claim.skipped.size();
    for (const auto& late : claim.skipped) {
      spdlog::warn("schedule {}: the occurrence due {} is more than {} min late; skipped",
                   late.schedule_id, date::format("%FT%TZ", late.due),
                   std::chrono::duration_cast<std::chrono::minutes>(settings.max_catch_up).count());
    }
    if (!claim.more)
      break;
  }
  if (report.fired > 0 || report.skipped_late > 0)
    spdlog::info("scheduler: {} occurrence(s) fired, {} message(s) queued, {} skipped as too late",
                 report.fired, report.messages, report.skipped_late);
  return report;
}

}  // namespace okr::bot::pipeline
