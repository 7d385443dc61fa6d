// The `team` office commands (see office_commands.hpp): `team` lists the people of the person's
// team with their roles; `team add @someone ROLE` and `team remove @someone ROLE` change them,
// for the team's coaches and admins only. Nothing here touches reflections: they stay private.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "bot/pipeline/mentions.hpp"
#include "bot/pipeline/office_commands.hpp"
#include "bot/pipeline/setup_commands.hpp"
#include "dialogs/domain_names.hpp"
#include "storage/memberships.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"

namespace okr::bot::pipeline {
namespace {

using dialogs::Outbound;
using dialogs::Role;

const char* const kForm =
    "To change who is in the team, write `team add @person ROLE` or `team remove @person ROLE`, where ROLE is "
    "member, coach, manager or admin. For example: `team add @maria manager`.";

std::vector<Outbound> say(std::string text) {
  Outbound out;
  out.text = std::move(text);
  return {std::move(out)};
}

std::vector<std::string> words_of(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}


std::string roles_text(const std::vector<Role>& roles) {
  std::string out;
  for (Role r : roles) out += (out.empty() ? "" : ", ") + std::string(dialogs::to_string(r));
  return out;
}

// Someone known only from a mention has no name yet; "@U123" is how people wrote them, and what
// they can look up on their platform.
std::string display(const dialogs::Person& p) {
  return p.display_name.empty() || p.display_name == p.user_ref ? "@" + p.user_ref : p.display_name;
}

std::string with_article(const std::string& role) {
  return (role == "admin" ? "an " : "a ") + role;
}

bool may_change_team(const dialogs::Context& context) {
  return std::any_of(context.roles.begin(), context.roles.end(),
                     [](Role r) { return r == Role::coach || r == Role::admin; });
}

std::vector<Outbound> list_team(const CommandCall& call) {
  const auto& team = *call.context.team;
  const auto members = storage::Memberships(call.db).members(team.id);
  std::string text = team.name + (members.size() == 1 ? " has 1 person:" : " has " + std::to_string(members.size()) + " people:");
  for (const auto& m : members) text += "\n- " + display(m.person) + ": " + roles_text(m.roles);
  if (may_change_team(call.context))
    text += "\n\nYou can change this with `team add @person ROLE` or `team remove @person ROLE`.";
  return say(std::move(text));
}

std::vector<Outbound> change_team(const CommandCall& call, bool adding, const std::vector<std::string>& words) {
  const auto& team = *call.context.team;
  if (!may_change_team(call.context))
    return say("Only the coaches and admins of " + team.name +
               " can change who is in it. `team` shows who they are, if you'd like to ask one of them.");
  std::optional<std::string> user;
  std::optional<Role> role;
  bool unknown_word = false;
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (auto mention = mentioned_user(words[i]); mention && !user)
      user = mention;
    else if (auto r = dialogs::role_from(lower(words[i])); r && !role)
      role = r;
    else
      unknown_word = true;
  }
  if (!user || !role || unknown_word)
    return say(kForm);

  const auto& me = call.context.person;
  storage::People people(call.db);
  storage::Memberships memberships(call.db);
  dialogs::Person identity;
  identity.platform = me.platform;
  identity.workspace = me.workspace;
  identity.user_ref = *user;
  identity.display_name = *user;
  identity.time_zone = team.settings.time_zone;
  // Removing needs no stored person: someone never seen holds no role.
  const auto who = adding ? people.find_or_create(identity)
                          : people.find(me.platform, me.workspace, *user).value_or(identity);
  const std::string role_name(dialogs::to_string(*role));
  const bool holds = who.id != 0 && memberships.holds(team.id, who.id, *role);
  if (!adding && !holds)
    return say(display(who) + " isn't " + with_article(role_name) + " of " + team.name + ", so nothing changed.");
  if (adding && holds)
    return say(display(who) + " is already " + with_article(role_name) + " of " + team.name + ".");
  if (!adding && *role == Role::admin) {
    const auto admins = memberships.holders(team.id, Role::admin);
    if (admins.size() == 1 && admins.front() == who.id)
      return say(display(who) + " is the only admin of " + team.name +
                 ". Add another admin first, so someone can still look after the team.");
  }
  if (adding)
    memberships.grant(team.id, who.id, *role, call.context.now);
  else
    memberships.revoke(team.id, who.id, *role);
  // Members get their check-in nudges and managers their digest from the default schedules.
  storage::sync_default_schedules(call.db, team.id, call.context.now);
  if (adding)
    return say("Added " + display(who) + " to " + team.name + " as " + role_name + ".");
  return say(display(who) + " is no longer " + with_article(role_name) + " of " + team.name + ".");
}

std::vector<Outbound> team_command(const CommandCall& call) {
  if (!call.context.team)
    return say("You're not part of a team yet, so there's no one to list. A coach can set one up with `setup`.");
  const auto words = words_of(call.arguments);
  if (words.empty())
    return list_team(call);
  const auto verb = lower(words.front());
  if (verb == "add" || verb == "remove")
    return change_team(call, verb == "add", words);
  return say(std::string("`team` on its own lists the people of ") + call.context.team->name + ". " + kForm);
}

}  // namespace

void add_team_commands(CommandTable& table) {
  table.add("team", team_command);
  // Sharing a reflection is a team matter too: it goes to the team's coaches.
  add_share_command(table);
}

}  // namespace okr::bot::pipeline
