// `share`: a reflection is private to its author until they choose to share it. This sends the
// person's latest reflection to each coach of their team, in the coach's DM, through the outbox
// in the command's own transaction, and records who got it (storage/reflection_shares), so
// sharing again sends nothing twice.
#include <date/date.h>

#include "bot/pipeline/setup_commands.hpp"
#include "storage/memberships.hpp"
#include "storage/outbox.hpp"
#include "storage/people.hpp"
#include "storage/reflection_shares.hpp"
#include "storage/reflections.hpp"

namespace okr::bot::pipeline {
namespace {

using Replies = std::vector<dialogs::Outbound>;

Replies say(std::string text) {
  dialogs::Outbound out;
  out.text = std::move(text);
  return {std::move(out)};
}

std::string name_of(const dialogs::Person& p) {
  return p.display_name.empty() || p.display_name == p.user_ref ? "@" + p.user_ref
                                                                 : p.display_name;
}

// The reflection in its author's own words, as the coach reads it.
dialogs::Outbound shared_message(const dialogs::Person& author, const dialogs::Reflection& r) {
  dialogs::SummaryCard card;
  card.heading = name_of(author) + " shared a reflection with you (" +
                 date::format("%Y-%m-%d", r.at) + ")";
  const std::pair<const char*, const std::string*> parts[] = {
      {"What I learned", &r.learned},          {"What went well", &r.went_well},
      {"What I'd do differently", &r.do_differently}, {"A habit to stop", &r.stop_habit},
      {"What I carry forward", &r.carry_forward}};
  std::string text = card.heading + ".";
  for (const auto& [label, words] : parts) {
    if (words->empty())
      continue;
    card.items.push_back({label, *words});
    text += "\n• " + std::string(label) + ": " + *words;
  }
  text += "\nIt was shared with you only; a question back to them is often the best reply.";
  dialogs::Outbound out;
  out.text = std::move(text);
  out.summary = std::move(card);
  return out;
}

storage::OutboxItem to_dm_of(const dialogs::Person& coach, dialogs::Outbound message,
                             dialogs::Id reflection_id) {
  storage::OutboxItem item;
  item.address.platform = coach.platform;
  item.address.workspace = coach.workspace;
  item.address.conversation = coach.user_ref;
  item.address.kind = "post";
  item.address.user = coach.user_ref;
  item.message = std::move(message);
  item.idempotency_key =
      "share-" + std::to_string(reflection_id) + "-" + std::to_string(coach.id);
  return item;
}

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return out;
}

Replies share(const CommandCall& call) {
  const auto& context = call.context;
  const auto& me = context.person;
  const auto reflection = storage::Reflections(call.db).latest(me.id);
  if (!reflection)
    return say("You have no reflection to share yet. `reflect` starts one whenever you like.");
  if (!context.team)
    return say("You're not in a team, so there's no coach to share with. Your reflection stays "
               "yours alone.");
  const auto outcome = share_with_coaches(call.db, me, context.team->id, *reflection, context.now);
  if (outcome.sent_to.empty() && outcome.had_it.empty())
    return say(context.team->name + " has no coach yet, so I kept your reflection to yourself. "
                                    "Once a coach joins, `share` sends it.");
  if (outcome.sent_to.empty())
    return say(listed(outcome.had_it) + " already " + (outcome.had_it.size() == 1 ? "has" : "have") +
               " your latest reflection; nothing was sent again.");
  return say("Shared your latest reflection with " + listed(outcome.sent_to) +
             ". Nobody else sees it; what you write stays yours.");
}

}  // namespace

ShareOutcome share_with_coaches(storage::Database& db, const dialogs::Person& author,
                                dialogs::Id team_id, const dialogs::Reflection& reflection,
                                dialogs::TimePoint now) {
  ShareOutcome outcome;
  storage::People people(db);
  storage::ReflectionShares shares(db);
  storage::Outbox outbox(db);
  for (const auto id : storage::Memberships(db).holders(team_id, dialogs::Role::coach)) {
    if (id == author.id)
      continue;
    const auto coach = people.by_id(id);
    if (!coach)
      continue;
    if (shares.share(reflection.id, coach->id, now)) {
      outbox.enqueue(to_dm_of(*coach, shared_message(author, reflection), reflection.id), now);
      outcome.sent_to.push_back(name_of(*coach));
    } else {
      outcome.had_it.push_back(name_of(*coach));
    }
  }
  return outcome;
}

void add_share_command(CommandTable& table) {
  table.add("share", share);
}

}  // namespace okr::bot::pipeline
