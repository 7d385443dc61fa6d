// The scheduling office commands (see office_commands.hpp):
//   schedule <kind> for <me|@user|team> <when> [with <dialog>]   — create one
//   schedules                                                     — what reaches you
//   unschedule ID                                                 — stop one
//   snooze / skip                                                 — the nudge's buttons
// Only coaches and admins schedule for others or the whole team; anyone schedules for themself.
#include <algorithm>
#include <charconv>

#include "bot/pipeline/office_commands.hpp"
#include "bot/pipeline/visible_schedules.hpp"
#include "dialogs/schedule_text.hpp"
#include "storage/memberships.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
#include "storage/team_channels.hpp"

namespace okr::bot::pipeline {
namespace {

using Replies = std::vector<dialogs::Outbound>;

Replies say(std::string text) {
  dialogs::Outbound out;
  out.text = std::move(text);
  return {out};
}

bool has_role(const dialogs::Context& context, dialogs::Role role) {
  return std::find(context.roles.begin(), context.roles.end(), role) != context.roles.end();
}

bool coaches_team(const dialogs::Context& context) {
  return context.team &&
         (has_role(context, dialogs::Role::coach) || has_role(context, dialogs::Role::admin));
}

std::string zone_or_utc(const std::string& zone) {
  return dialogs::is_time_zone(zone) ? zone : std::string("UTC");
}

const auto kind_words = schedule_kind_words;

Replies schedule(const CommandCall& call) {
  if (call.arguments.empty())
    return say(dialogs::schedule_forms());
  auto parsed = dialogs::parse_schedule_text(call.arguments);
  if (auto* error = std::get_if<dialogs::ScheduleTextError>(&parsed))
    return say(error->message);
  const auto& request = std::get<dialogs::ScheduleRequest>(parsed);
  const auto& context = call.context;

  if (!request.dialog.empty() && call.catalog && !call.catalog->find(request.dialog)) {
    return say("I don't have a question set called \"" + request.dialog +
               "\". It needs a file config/dialogs/" + request.dialog + ".json.");
  }

  dialogs::Schedule s;
  s.kind = request.kind;
  s.recurrence = request.recurrence;
  s.dialog = request.dialog;
  s.created_by = context.person.id;
  s.team_id = context.team ? context.team->id : 0;
  std::string whom = "you";
  switch (request.target.kind) {
    case dialogs::ScheduleTarget::Kind::me:
      if (request.kind == dialogs::ScheduleKind::digest &&
          !(context.team && (has_role(context, dialogs::Role::manager) || coaches_team(context))))
        return say(
            "The team digest goes to the team's managers, coaches and admins — and you "
            "are not one of them here.");
      s.person_id = context.person.id;
      s.time_zone = zone_or_utc(context.person.time_zone);
      break;
    case dialogs::ScheduleTarget::Kind::person: {
      const auto person = storage::People(call.db).find(
          call.message.platform, call.message.workspace, request.target.user_ref);
      if (person && person->id == context.person.id) {
        s.person_id = person->id;
        s.time_zone = zone_or_utc(person->time_zone);
        break;
      }
      if (!coaches_team(context))
        return say(
            "Only a coach or admin of the team can schedule for someone else. You can "
            "always schedule for yourself: `schedule checkin for me every mon at 09:00`.");
      if (!person || storage::Memberships(call.db).roles(s.team_id, person->id).empty())
        return say("@" + request.target.user_ref + " isn't in " + context.team->name +
                   " yet, so I can't schedule for them.");
      s.person_id = person->id;
      s.time_zone = zone_or_utc(person->time_zone);
      whom = "@" + request.target.user_ref;
      break;
    }
    case dialogs::ScheduleTarget::Kind::channel: {
      if (!coaches_team(context))
        return say("Only a coach or admin of the team can post its digest in a channel.");
      const auto& channel = request.target.user_ref;
      const auto bound = storage::TeamChannels(call.db).find(call.message.platform,
                                                             call.message.workspace, channel);
      if (!bound || bound->team_id != context.team->id)
        return say("#" + channel + " isn't " + context.team->name +
                   "'s channel, so I won't post its digest there. Run `/okr setup` in the "
                   "team's channel to make it the team's.");
      s.channel = channel;
      s.time_zone = zone_or_utc(context.team->settings.time_zone);
      whom = "#" + channel;
      break;
    }
    case dialogs::ScheduleTarget::Kind::team:
      if (!coaches_team(context))
        return say("Only a coach or admin of the team can schedule for the whole team.");
      s.time_zone = zone_or_utc(context.team->settings.time_zone);
      whom = request.kind == dialogs::ScheduleKind::digest ? "the managers of " + context.team->name
                                                           : "everyone in " + context.team->name;
      break;
  }
  if (request.kind == dialogs::ScheduleKind::digest && s.team_id == 0)
    return say("A digest belongs to a team, and you are not in one yet.");

  if (auto past = dialogs::check_not_in_past(request, s.time_zone, context.now))
    return say(past->message);

  const auto added = storage::Schedules(call.db).add(s, context.now);
  std::string text = "Done: a " + kind_words(s.kind) + " for " + whom + ", " +
                     dialogs::describe_recurrence(s.recurrence) + " (" + s.time_zone + ").";
  if (added.next_due_at)
    text += " First one: " +
            dialogs::describe_instant(*added.next_due_at, zone_or_utc(context.person.time_zone)) +
            ".";
  text += " Its id is " + std::to_string(added.id) + "; `unschedule " + std::to_string(added.id) +
          "` stops it.";
  return say(text);
}

Replies list(const CommandCall& call) {
  const auto& context = call.context;
  const auto mine = visible_schedules(call.db, context.person.id);
  if (mine.empty())
    return say("Nothing is scheduled for you. Try `schedule checkin for me every mon at 09:00`.");
  const auto zone = zone_or_utc(context.person.time_zone);
  std::string text = "Your schedules (times in " + zone + "):";
  for (const auto& s : mine) {
    text += "\n• " + std::to_string(s.id) + ": " + kind_words(s.kind) + ", " +
            dialogs::describe_recurrence(s.recurrence);
    if (!s.channel.empty())
      text += " (in #" + s.channel + ")";
    else if (s.person_id == 0)
      text += s.kind == dialogs::ScheduleKind::digest ? " (the team's managers)" : " (whole team)";
    else if (s.person_id != context.person.id)
      text += " (set by you for someone else)";
    if (!s.dialog.empty())
      text += " with " + s.dialog;
    if (s.next_due_at)
      text += " — next " + dialogs::describe_instant(*s.next_due_at, zone);
  }
  return say(text);
}

Replies unschedule(const CommandCall& call) {
  dialogs::Id id = 0;
  const auto& a = call.arguments;
  const auto* begin = a.data() + (a.starts_with("#") ? 1 : 0);
  const auto parsed = std::from_chars(begin, a.data() + a.size(), id);
  if (a.empty() || parsed.ec != std::errc{} || parsed.ptr != a.data() + a.size() || id <= 0)
    return say("Which one? Say `unschedule 12` with an id from `schedules`.");
  storage::Schedules schedules(call.db);
  const auto found = schedules.by_id(id);
  const auto& me = call.context.person;
  if (!found || found->state != dialogs::Schedule::State::active)
    return say("I have no active schedule " + std::to_string(id) + ". `schedules` lists yours.");
  bool allowed = found->person_id == me.id || found->created_by == me.id;
  if (!allowed && found->team_id != 0) {
    const auto roles = storage::Memberships(call.db).roles(found->team_id, me.id);
    allowed = std::find(roles.begin(), roles.end(), dialogs::Role::coach) != roles.end() ||
              std::find(roles.begin(), roles.end(), dialogs::Role::admin) != roles.end();
  }
  if (!allowed)
    return say("Schedule " + std::to_string(id) +
               " isn't yours to stop; a coach or admin of its team can.");
  schedules.remove(id);
  return say("Stopped schedule " + std::to_string(id) + " (" + kind_words(found->kind) + ", " +
             dialogs::describe_recurrence(found->recurrence) + ").");
}

// Snooze 2h: the same nudge once more, two hours from now in the person's own zone.
Replies snooze(const CommandCall& call) {
  const auto& context = call.context;
  const auto zone = zone_or_utc(context.person.time_zone);
  dialogs::Schedule s;
  s.kind = dialogs::ScheduleKind::checkin;
  s.person_id = context.person.id;
  s.team_id = context.team ? context.team->id : 0;
  s.time_zone = zone;
  s.created_by = context.person.id;
  s.recurrence = dialogs::one_off_at(context.now + std::chrono::hours{2}, zone);
  const auto added = storage::Schedules(call.db).add(s, context.now);
  const auto& once = std::get<dialogs::OneOff>(s.recurrence);
  const auto when = added.next_due_at
                        ? (once.time.hour < 10 ? "0" : "") + std::to_string(once.time.hour) + ":" +
                              (once.time.minute < 10 ? "0" : "") + std::to_string(once.time.minute)
                        : std::string("in two hours");
  return say("No problem — I'll ask again at " + when + ".");
}

// Skip this week: the person's reminders due within the coming week move on one occurrence,
// so nobody is reminded of a check-in they chose to skip.
Replies skip(const CommandCall& call) {
  const auto& context = call.context;
  storage::Schedules schedules(call.db);
  const auto horizon = context.now + std::chrono::days{7};
  for (const auto& s : schedules.reaching(context.person.id, {})) {
    if (s.kind != dialogs::ScheduleKind::reminder || s.person_id != context.person.id ||
        !s.next_due_at || *s.next_due_at > horizon)
      continue;
    const int months = context.team ? context.team->settings.cycle_months : 3;
    schedules.set_next_due(s.id, storage::next_due_after(s, *s.next_due_at, months));
  }
  return say(
      "Okay, skipping this week's check-in. I'll ask again next week — and you can "
      "always type `checkin` if something changes.");
}

}  // namespace

void add_schedule_commands(CommandTable& table) {
  table.add("schedule", schedule);
  table.add("schedules", list);
  table.add("unschedule", unschedule);
  table.add("snooze", snooze);
  table.add("skip", skip);
}

}  // namespace okr::bot::pipeline
