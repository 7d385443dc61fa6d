// Team setup from a chat channel (see setup_commands.hpp). The conversation is three short
// steps in the person's DM: the binding itself, then "who manages this team?", then "who
// coaches it?". Each answer is one turn; the open question is stored, so a restart between the
// steps loses nothing.
#include "bot/pipeline/setup_commands.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>

#include "bot/pipeline/mentions.hpp"
#include "dialogs/recurrence.hpp"
#include "dialogs/schedule_nudge.hpp"
#include "dialogs/words.hpp"
#include "storage/memberships.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
#include "storage/team_channels.hpp"
#include "storage/teams.hpp"

namespace okr::bot::pipeline {
namespace {

using dialogs::Outbound;
using dialogs::Role;
using Replies = std::vector<Outbound>;

// Long enough to answer after a meeting or overnight; an older question is forgotten so a
// later message is not mistaken for its answer.
constexpr auto kQuestionLifetime = std::chrono::hours{48};
constexpr auto kMembersEvery = std::chrono::hours{24};

Replies say(std::string text) {
  Outbound out;
  out.text = std::move(text);
  return {std::move(out)};
}

std::string channel_label(const ChannelRoster& roster) {
  return "#" + (roster.name.empty() ? roster.channel : roster.name);
}

std::string day_name(const std::string& weekday) {
  static const std::pair<const char*, const char*> names[] = {
      {"mon", "Monday"}, {"tue", "Tuesday"},  {"wed", "Wednesday"}, {"thu", "Thursday"},
      {"fri", "Friday"}, {"sat", "Saturday"}, {"sun", "Sunday"}};
  for (const auto& [short_name, long_name] : names) {
    if (weekday == short_name)
      return long_name;
  }
  return weekday;
}

std::string people_count(int n) {
  return n == 1 ? "1 person" : std::to_string(n) + " people";
}

// The question with its Skip button; typing works as well (mentions, "skip").
Outbound ask(storage::SetupQuestion question, std::string lead) {
  Outbound out;
  if (question == storage::SetupQuestion::managers)
    out.text = lead + "Who manages this team? Mention them (like @maria @li) and they'll get the "
                      "weekly digest — or say skip.";
  else
    out.text = lead + "And who coaches the team? Coaches can schedule reflections and change the "
                      "team's program. Mention them, or say skip.";
  dialogs::Question q;
  q.id = kTeamSetupQuestion;
  q.choices.push_back(dialogs::Choice{"skip", "Skip for now", 1, {"skip", "none", "nobody"}});
  out.question = std::move(q);
  return out;
}

bool may_change(storage::Memberships& memberships, dialogs::Id team_id, dialogs::Id person_id) {
  const auto roles = memberships.roles(team_id, person_id);
  return std::any_of(roles.begin(), roles.end(),
                     [](Role r) { return r == Role::coach || r == Role::admin; });
}

// A team name nobody else uses: the channel's name, or with its id when that is taken.
std::string free_team_name(storage::Teams& teams, const ChannelRoster& roster) {
  const std::string base = roster.name.empty() ? roster.channel : roster.name;
  if (!teams.by_name(base))
    return base;
  return base + " (" + roster.channel + ")";
}

std::string display(const dialogs::Person& p) {
  return p.display_name.empty() || p.display_name == p.user_ref ? "@" + p.user_ref
                                                                 : p.display_name;
}

std::string joined_names(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0)
      out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

Replies finish(storage::Database& db, dialogs::Id team_id, std::string lead) {
  const auto team = storage::Teams(db).by_id(team_id);
  if (!team)
    return say(lead + "That team no longer exists, so I stopped here.");
  const auto& s = team->settings;
  Outbound out;
  out.text = lead + "That's " + team->name + " set up. Check-ins go out on " +
             day_name(s.checkin_weekday) + "s at " + s.checkin_time + " in each person's own time "
             "zone, and the digest on " + day_name(s.digest_weekday) + "s at " + s.digest_time +
             " (" + s.time_zone + "). To change the days, times or zone, type `setup` here.";
  dialogs::Question q;
  q.id = dialogs::kSayQuestion;
  q.choices.push_back(dialogs::Choice{"setup", "Program settings", 1, {}});
  out.question = std::move(q);
  return {std::move(out)};
}

}  // namespace

std::optional<ChannelSetupRequest> channel_setup_request(std::string_view text) {
  std::istringstream in{std::string(dialogs::trim(text))};
  std::string setup, channel_word;
  ChannelSetupRequest request;
  if (!(in >> setup >> channel_word >> request.channel))
    return std::nullopt;
  if (dialogs::lower_ascii(setup) != "setup" || dialogs::lower_ascii(channel_word) != "channel")
    return std::nullopt;
  in >> request.name;
  std::string extra;
  if (in >> extra)
    return std::nullopt;
  return request;
}

RosterChange apply_channel_roster(storage::Database& db, dialogs::Id team_id,
                                  const ChannelRoster& roster, dialogs::TimePoint now) {
  RosterChange change;
  storage::People people(db);
  storage::Memberships memberships(db);
  std::set<std::string> present;
  for (const auto& member : roster.people) {
    present.insert(member.user_ref);
    dialogs::Person identity;
    identity.platform = roster.platform;
    identity.workspace = roster.workspace;
    identity.user_ref = member.user_ref;
    identity.display_name = member.display_name.empty() ? member.user_ref : member.display_name;
    if (dialogs::is_time_zone(member.time_zone))
      identity.time_zone = member.time_zone;
    const auto person = people.find_or_create(identity);
    if (!member.display_name.empty() || dialogs::is_time_zone(member.time_zone))
      people.update_profile(person.id, identity.display_name,
                            dialogs::is_time_zone(member.time_zone) ? member.time_zone
                                                                    : person.time_zone);
    if (!memberships.holds(team_id, person.id, Role::member)) {
      memberships.grant(team_id, person.id, Role::member, now);
      ++change.joined;
    }
  }
  for (const auto& member : memberships.members(team_id)) {
    const auto& p = member.person;
    const bool is_member =
        std::find(member.roles.begin(), member.roles.end(), Role::member) != member.roles.end();
    if (is_member && p.platform == roster.platform && p.workspace == roster.workspace &&
        present.count(p.user_ref) == 0) {
      memberships.revoke(team_id, p.id, Role::member);
      ++change.left;
    }
  }
  storage::sync_default_schedules(db, team_id, now);
  storage::TeamChannels channels(db);
  if (auto binding = channels.find(roster.platform, roster.workspace, roster.channel))
    channels.set_members_due(*binding, now + kMembersEvery);
  return change;
}

Replies set_up_channel_team(storage::Database& db, const dialogs::Person& who,
                            const ChannelRoster& roster, dialogs::TimePoint now) {
  const auto label = channel_label(roster);
  const bool in_channel =
      std::any_of(roster.people.begin(), roster.people.end(),
                  [&](const ChannelPerson& p) { return p.user_ref == who.user_ref; });
  if (!in_channel)
    return say("Only people in " + label + " can set up its team. Join the channel, then run "
               "`/okr setup` there again.");

  storage::TeamChannels channels(db);
  storage::Memberships memberships(db);
  storage::Teams teams(db);
  const auto bound = channels.find(roster.platform, roster.workspace, roster.channel);
  dialogs::Id team_id = 0;
  std::string lead;
  if (bound && teams.by_id(bound->team_id)) {
    team_id = bound->team_id;
    const auto team = teams.by_id(team_id);
    if (!may_change(memberships, team_id, who.id))
      return say(label + " already has its team, " + team->name +
                 ". Its coaches and admins can run setup again; any member can see who they are "
                 "with `/okr team`.");
    const auto change = apply_channel_roster(db, team_id, roster, now);
    lead = "I've read " + label + "'s members again: " + std::to_string(change.joined) +
           " joined and " + std::to_string(change.left) + " left since last time, so " +
           team->name + " has " + people_count(memberships.member_count(team_id)) + ". ";
  } else {
    auto team = teams.find_or_create(free_team_name(teams, roster));
    team_id = team.id;
    // The setter's own zone is the natural default for the team's digest and cycle ends.
    if (dialogs::is_time_zone(who.time_zone) && team.settings.time_zone != who.time_zone) {
      team.settings.time_zone = who.time_zone;
      teams.save_settings(team_id, team.settings);
    }
    storage::ChannelBinding binding;
    binding.platform = roster.platform;
    binding.workspace = roster.workspace;
    binding.channel = roster.channel;
    binding.team_id = team_id;
    binding.bound_by = who.id;
    binding.bound_at = now;
    binding.members_due_at = now + kMembersEvery;
    channels.bind(binding);
    memberships.grant(team_id, who.id, Role::admin, now);
    apply_channel_roster(db, team_id, roster, now);
    const int members = memberships.member_count(team_id);
    lead = label + " now has its OKR team, " + team.name + ": the " + people_count(members) +
           " in the channel are its members, and you are its admin. ";
  }
  channels.ask(who.id, {team_id, storage::SetupQuestion::managers, now});
  return {ask(storage::SetupQuestion::managers, lead)};
}

std::optional<Replies> answer_setup_question(storage::Database& db, const dialogs::Inbound& message,
                                             dialogs::TimePoint now) {
  storage::People people(db);
  const auto me = people.find(message.platform, message.workspace, message.user);
  if (!me)
    return std::nullopt;
  storage::TeamChannels channels(db);
  const auto pending = channels.pending(me->id);
  if (!pending)
    return std::nullopt;
  if (now - pending->asked_at > kQuestionLifetime) {
    channels.answered(me->id);
    return std::nullopt;
  }
  storage::Memberships memberships(db);
  const auto team = storage::Teams(db).by_id(pending->team_id);
  if (!team || !may_change(memberships, pending->team_id, me->id)) {
    channels.answered(me->id);
    return std::nullopt;  // the team is gone or they lost the right: an ordinary message
  }

  std::vector<std::string> mentioned;
  bool skip = false;
  if (message.action) {
    if (message.action->id != kTeamSetupQuestion)
      return std::nullopt;  // a click on some other message
    skip = message.action->value == "skip";
  } else {
    const auto text = dialogs::lower_ascii(dialogs::trim(message.text));
    if (text == "cancel" || text == "stop") {
      channels.answered(me->id);
      return say("Okay, I'll leave the roles as they are. `/okr team add @person ROLE` changes "
                 "them any time.");
    }
    skip = dialogs::one_of(text, std::vector<std::string>{"skip", "none", "nobody", "no one",
                                                          "no", "1", "skip for now"});
    std::istringstream words(message.text);
    for (std::string word; words >> word;) {
      if (auto user = mentioned_user(word))
        mentioned.push_back(*user);
    }
  }
  const bool managers = pending->question == storage::SetupQuestion::managers;
  if (!skip && mentioned.empty())
    return Replies{ask(pending->question,
                       "I was looking for @mentions there (`cancel` stops the setup "
                       "questions). ")};

  const Role role = managers ? Role::manager : Role::coach;
  std::vector<std::string> names;
  for (const auto& user : mentioned) {
    dialogs::Person identity;
    identity.platform = message.platform;
    identity.workspace = message.workspace;
    identity.user_ref = user;
    identity.display_name = user;
    identity.time_zone = team->settings.time_zone;
    const auto person = people.find_or_create(identity);
    memberships.grant(team->id, person.id, role, now);
    names.push_back(display(person));
  }
  if (!names.empty())
    storage::sync_default_schedules(db, team->id, now);
  std::string lead;
  if (!names.empty())
    lead = joined_names(names) + (names.size() == 1 ? " is " : " are ") +
           (names.size() == 1 ? (managers ? "a manager" : "a coach")
                               : (managers ? "managers" : "coaches")) +
           " of " + team->name + " now. ";
  if (managers) {
    channels.ask(me->id, {team->id, storage::SetupQuestion::coaches, now});
    return Replies{ask(storage::SetupQuestion::coaches, lead)};
  }
  channels.answered(me->id);
  return finish(db, team->id, lead);
}

}  // namespace okr::bot::pipeline
