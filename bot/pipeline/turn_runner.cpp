#include "bot/pipeline/turn_runner.hpp"

#include <spdlog/spdlog.h>

#include <type_traits>

#include "bot/pipeline/setup_commands.hpp"
#include "dialogs/engine.hpp"
#include "dialogs/schedule_nudge.hpp"
#include "storage/check_ins.hpp"
#include "storage/cycles.hpp"
#include "storage/database.hpp"
#include "storage/dialog_instances.hpp"
#include "storage/memberships.hpp"
#include "storage/objectives.hpp"
#include "storage/people.hpp"
#include "storage/reflections.hpp"
#include "storage/turn_commit.hpp"

namespace okr::bot::pipeline {
namespace {

std::optional<dialogs::DialogInstance> decode(const std::optional<storage::StoredDialog>& stored,
                                              dialogs::Id person_id) {
  if (!stored)
    return std::nullopt;
  try {
    auto instance = nlohmann::json::parse(stored->state).get<dialogs::DialogInstance>();
    return instance;
  } catch (const nlohmann::json::exception& e) {
    // A state this binary cannot read is dropped rather than blocking the person forever; the
    // next commit removes it.
    spdlog::warn("dropping unreadable {} dialog state of person {}: {}", stored->dialog, person_id,
                 e.what());
    return std::nullopt;
  }
}

storage::StoredDialog encode(const dialogs::DialogInstance& instance, dialogs::TimePoint now) {
  nlohmann::json j = instance;
  return {instance.dialog, instance.version, j.dump(), now};
}

// The engine fills ids from the context; these defaults only cover what it left at 0, so an
// effect never lands without an owner.
void complete(dialogs::Effect& effect, const dialogs::Context& context) {
  const auto team_id = context.team ? context.team->id : 0;
  const auto cycle_id = context.cycle ? context.cycle->id : 0;
  std::visit(
      [&](auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, dialogs::SaveObjective>) {
          if (e.objective.person_id == 0)
            e.objective.person_id = context.person.id;
          if (e.objective.team_id == 0)
            e.objective.team_id = team_id;
          if (e.objective.cycle_id == 0)
            e.objective.cycle_id = cycle_id;
          if (e.objective.created_at == dialogs::TimePoint{})
            e.objective.created_at = context.now;
        } else if constexpr (std::is_same_v<E, dialogs::SaveCheckIns>) {
          for (auto& c : e.check_ins) {
            if (c.person_id == 0)
              c.person_id = context.person.id;
            if (c.at == dialogs::TimePoint{})
              c.at = context.now;
          }
        } else if constexpr (std::is_same_v<E, dialogs::SaveReflection>) {
          if (e.reflection.person_id == 0)
            e.reflection.person_id = context.person.id;
          if (e.reflection.cycle_id == 0)
            e.reflection.cycle_id = cycle_id;
          if (e.reflection.at == dialogs::TimePoint{})
            e.reflection.at = context.now;
        } else if constexpr (std::is_same_v<E, dialogs::SaveTeamSettings>) {
          if (e.team_id == 0)
            e.team_id = team_id;
        }
      },
      effect);
}

// The reflect dialog asked "may your coach read this?": a yes sends it to the team's coaches
// now. Its own transaction after the turn's; should it be lost, `share` sends it later (the
// share is recorded per coach, so nothing is sent twice).
void share_with_coaches_if_asked(storage::Database& db,
                                 const std::vector<dialogs::Reflection>& saved,
                                 const dialogs::Context& context) {
  if (!context.team)
    return;
  for (const auto& reflection : saved) {
    if (!reflection.shared_with_coach)
      continue;
    try {
      storage::commit_command(db, std::nullopt, context.now, [&] {
        share_with_coaches(db, context.person, context.team->id, reflection, context.now);
        return std::vector<storage::OutboxItem>{};
      });
    } catch (const std::exception& error) {
      spdlog::warn("reflection {} of person {} not shared yet (`share` sends it): {}",
                   reflection.id, context.person.id, error.what());
    }
  }
}

}  // namespace

TurnRunner::TurnRunner(storage::Database& db, const dialogs::DialogCatalog& catalog, Clock clock,
                       TurnSettings settings)
    : db_(db), catalog_(catalog), clock_(std::move(clock)), settings_(settings) {}

dialogs::Context TurnRunner::load_context(const dialogs::Inbound& message, dialogs::TimePoint now) {
  dialogs::Context context;
  context.now = now;
  context.idle_days = settings_.idle_days;

  dialogs::Person identity;
  identity.platform = message.platform;
  identity.workspace = message.workspace;
  identity.user_ref = message.user;
  context.person = storage::People(db_).find_or_create(identity);

  storage::Memberships memberships(db_);
  const auto teams = memberships.teams_of(context.person.id);
  for (const auto& team : teams) {
    if (team.name == preferred_team_)
      context.team = team;
  }
  if (!context.team && !teams.empty())
    context.team = teams.front();
  const dialogs::Id team_id = context.team ? context.team->id : 0;
  if (context.team) {
    context.roles = memberships.roles(team_id, context.person.id);
    context.settings = context.team->settings;
  }

  context.cycle = storage::Cycles(db_).current(team_id, context.settings, now);
  context.objectives = storage::Objectives(db_).of_person(context.person.id, context.cycle->id);
  storage::CheckIns check_ins(db_);
  for (const auto& objective : context.objectives) {
    for (const auto& kr : objective.key_results) {
      if (auto latest = check_ins.latest(kr.id))
        context.latest_checkins.emplace(kr.id, *latest);
    }
  }
  context.last_reflection = storage::Reflections(db_).latest(context.person.id);
  return context;
}

std::vector<dialogs::Outbound> TurnRunner::run(const dialogs::Inbound& message) {
  return run_turn(message, std::nullopt);
}

std::vector<dialogs::Outbound> TurnRunner::run(const dialogs::Inbound& message,
                                               const Delivery& delivery) {
  return run_turn(message, delivery);
}

std::vector<dialogs::Outbound> TurnRunner::run_turn(const dialogs::Inbound& received,
                                                    const std::optional<Delivery>& delivery) {
  const auto now = clock_();
  const auto context = load_context(received, now);
  const auto active =
      decode(storage::DialogInstances(db_).active(context.person.id, received.conversation),
             context.person.id);
  // A scheduled nudge's buttons (question "say") answer no dialog: a click means what its
  // value says when typed, so Start begins the dialog and Snooze/Skip reach their commands.
  dialogs::Inbound message = received;
  if (!active && message.action && message.action->id == dialogs::kSayQuestion) {
    message.text = message.action->value;
    message.action.reset();
  }

  std::string arguments;
  if (!active && !message.action) {
    if (const auto* handler = commands_.find(message.text, arguments))
      return run_command(*handler, message, context, std::move(arguments), delivery);
  }

  auto result = dialogs::handle_turn(catalog_, active, message, context);

  storage::TurnRecord turn;
  turn.person_id = context.person.id;
  turn.conversation = message.conversation;
  if (result.instance)
    turn.dialog = encode(*result.instance, now);
  for (auto& effect : result.effects)
    complete(effect, context);
  turn.effects = std::move(result.effects);
  turn.at = now;
  if (delivery) {
    turn.inbox_id = delivery->inbox_id;
    for (const auto& reply : result.messages) {
      storage::OutboxItem item;
      item.address = delivery->reply_to;
      item.message = reply;
      turn.outbox.push_back(std::move(item));
    }
  }
  const auto committed = storage::commit_turn(db_, turn);
  share_with_coaches_if_asked(db_, committed.reflections, context);
  return std::move(result.messages);
}

std::vector<dialogs::Outbound> TurnRunner::run_command(const CommandHandler& handler,
                                                       const dialogs::Inbound& message,
                                                       const dialogs::Context& context,
                                                       std::string arguments,
                                                       const std::optional<Delivery>& delivery) {
  std::vector<dialogs::Outbound> replies;
  storage::commit_command(db_, delivery ? delivery->inbox_id : std::nullopt, context.now, [&] {
    replies = handler(CommandCall{db_, message, context, std::move(arguments), &catalog_});
    std::vector<storage::OutboxItem> items;
    if (delivery) {
      for (const auto& reply : replies) {
        storage::OutboxItem item;
        item.address = delivery->reply_to;
        item.message = reply;
        items.push_back(std::move(item));
      }
    }
    return items;
  });
  if (commands_committed_)
    commands_committed_();
  return replies;
}

}  // namespace okr::bot::pipeline
