#pragma once
// Runs one turn of one person: loads who they are, their team and program, their OKRs of the
// current cycle and their last reflection, hands the message and the active dialog to the
// engine, and commits the new dialog state and the engine's effects in one transaction. The
// coach's messages are returned only after that commit, so nothing is ever said that was not
// saved.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bot/pipeline/clock.hpp"
#include "bot/pipeline/office_commands.hpp"
#include "dialogs/context.hpp"
#include "dialogs/definition.hpp"
#include "dialogs/message.hpp"
#include "storage/outbox.hpp"

namespace okr::storage {
class Database;
}

namespace okr::bot::pipeline {

struct TurnSettings {
  unsigned idle_days = 7;  // config.dialog_idle_days
};

// Where a turn's replies go when they are delivered through the outbox rather than returned
// (the terminal chat prints them directly and needs none of this).
struct Delivery {
  std::optional<dialogs::Id> inbox_id;  // the inbox entry answered; marked done with the turn
  storage::OutboxAddress reply_to;      // each reply is one outbox row with this address
};

class TurnRunner {
 public:
  TurnRunner(storage::Database& db, const dialogs::DialogCatalog& catalog, Clock clock,
             TurnSettings settings = {});

  // Throws storage::StorageError when the turn could not be saved; nothing of it is kept and
  // the person may simply send the message again.
  std::vector<dialogs::Outbound> run(const dialogs::Inbound& message);
  // The same turn, and in the same transaction the replies become outbox rows addressed to
  // `delivery.reply_to` and the inbox entry is marked done. Returns the replies as well.
  std::vector<dialogs::Outbound> run(const dialogs::Inbound& message, const Delivery& delivery);

  // What the engine will know about this person for a turn at `now` (also creates the person
  // and their current cycle on first sight).
  dialogs::Context load_context(const dialogs::Inbound& message, dialogs::TimePoint now);

  // The team used when a person belongs to several (by name); empty = their first team.
  void prefer_team(std::string team_name) { preferred_team_ = std::move(team_name); }
  // The office commands (team, schedule, digest, …) tried before the dialog engine when no
  // dialog is active; standard_commands() unless replaced (tests use their own).
  void use_commands(CommandTable commands) { commands_ = std::move(commands); }
  // Called after an office command committed (it may have created, changed or removed a
  // schedule): serve wakes its scheduler with it. Cheap; called on the turn's thread.
  void on_commands_committed(std::function<void()> hook) { commands_committed_ = std::move(hook); }

 private:
  std::vector<dialogs::Outbound> run_turn(const dialogs::Inbound& message,
                                          const std::optional<Delivery>& delivery);
  // Runs `handler` in the turn's transaction; its replies go where the turn's would.
  std::vector<dialogs::Outbound> run_command(const CommandHandler& handler,
                                             const dialogs::Inbound& message,
                                             const dialogs::Context& context, std::string arguments,
                                             const std::optional<Delivery>& delivery);

  storage::Database& db_;
  const dialogs::DialogCatalog& catalog_;
  Clock clock_;
  TurnSettings settings_;
  std::string preferred_team_;
  CommandTable commands_ = standard_commands();
  std::function<void()> commands_committed_;
};

}  // namespace okr::bot::pipeline
