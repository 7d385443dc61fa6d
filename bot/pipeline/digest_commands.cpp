// The `digest` office command (see office_commands.hpp): the weekly digest of the person's own
// team, for its managers, coaches and admins. Only the team in the context is ever read, so a
// manager of one team can never see another team's digest by naming it.
#include <algorithm>
#include <string>

#include "bot/pipeline/office_commands.hpp"
#include "bot/pipeline/team_digest.hpp"
#include "storage/memberships.hpp"

namespace okr::bot::pipeline {
namespace {

using dialogs::Outbound;
using dialogs::Role;

std::vector<Outbound> say(std::string text) {
  Outbound out;
  out.text = std::move(text);
  return {std::move(out)};
}

// "Dan (manager), Ana (coach, admin)": the people a member could ask for the digest.
std::string readers_of(storage::Database& db, dialogs::Id team_id) {
  std::string out;
  for (const auto& m : storage::Memberships(db).members(team_id)) {
    std::string roles;
    for (Role r : m.roles)
      if (r != Role::member)
        roles += (roles.empty() ? "" : ", ") + std::string(r == Role::manager ? "manager" : r == Role::coach ? "coach" : "admin");
    if (roles.empty())
      continue;
    out += (out.empty() ? "" : ", ") + (m.person.display_name.empty() ? m.person.user_ref : m.person.display_name) + " (" +
           roles + ")";
  }
  return out;
}

std::vector<Outbound> digest_command(const CommandCall& call) {
  const auto& context = call.context;
  if (!context.team)
    return say("The weekly digest belongs to a team, and you're not part of one yet.");
  const auto& team = *context.team;
  if (!may_read_team_digest(context.roles)) {
    const auto readers = readers_of(call.db, team.id);
    return say("The weekly digest of " + team.name + " goes to its managers, coaches and admins" +
               (readers.empty() ? std::string(".") : ": " + readers + ".") +
               " Your own progress is always there with `my okrs`.");
  }
  std::optional<dialogs::IsoWeek> week;
  if (!call.arguments.empty()) {
    week = dialogs::parse_iso_week(call.arguments);
    if (!week)
      return say("I read weeks written like `2026-W48`. Try `digest` for this week or `digest 2026-W48` for another.");
    if (*week > dialogs::week_containing(context.now, team.settings.time_zone))
      return say(dialogs::to_string(*week) + " hasn't started yet, so there's nothing to tell. `digest` shows this week.");
  }
  if (auto message = weekly_digest_message(call.db, team.id, context.now, week))
    return {std::move(*message)};
  const auto shown = week.value_or(dialogs::week_containing(context.now, team.settings.time_zone));
  return say(team.name + " has no key results in the cycle of " + dialogs::to_string(shown) +
             " yet, so there's nothing to digest. They appear here once people save their OKRs.");
}

}  // namespace

void add_digest_commands(CommandTable& table) {
  table.add("digest", digest_command);
}

}  // namespace okr::bot::pipeline
