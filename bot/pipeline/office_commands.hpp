#pragma once
// Commands that act on shared team data rather than run a coaching dialog: `team`, `schedule`,
// `schedules`, `unschedule`, `digest`. Each is a handler keyed by the first word of the typed
// text (channels deliver `/okr schedule …` as the text "schedule …", mentions as "@<user ref>").
//
// TurnRunner consults the table only when no dialog is active in the conversation, so an answer
// to an open question is never mistaken for a command. A handler runs INSIDE the turn's
// transaction: whatever it writes through the repositories, the replies it returns and the
// completion of the inbox entry are committed together, so a retried event neither repeats nor
// loses a write. Handlers decide authorization themselves (the context carries the roles).
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dialogs/context.hpp"
#include "dialogs/definition.hpp"
#include "dialogs/message.hpp"

namespace okr::storage {
class Database;
}

namespace okr::bot::pipeline {

struct CommandCall {
  storage::Database& db;
  const dialogs::Inbound& message;
  const dialogs::Context& context;  // person, team, roles, settings, now
  std::string arguments;            // the text after the command word, trimmed
  // The dialogs this runner knows (to check a schedule's `with <dialog>`); null in tests that
  // do not need it.
  const dialogs::DialogCatalog* catalog = nullptr;
};

using CommandHandler = std::function<std::vector<dialogs::Outbound>(const CommandCall&)>;

class CommandTable {
 public:
  // `word` is matched case-insensitively against the first word of the text.
  void add(std::string word, CommandHandler handler);
  // The handler for the first word of `text`, with the rest of the text (trimmed) in
  // `arguments`; nullptr when the first word is not a command.
  const CommandHandler* find(std::string_view text, std::string& arguments) const;
  bool empty() const { return handlers_.empty(); }

 private:
  std::map<std::string, CommandHandler, std::less<>> handlers_;
};

// Every office command of the product: what each channel's TurnRunner uses by default.
CommandTable standard_commands();

// Each feature registers its own words (one file per feature, so they are written and read
// apart): schedule / schedules / unschedule, and the nudge answers snooze / skip …
void add_schedule_commands(CommandTable& table);
// … team (list, add, remove) …
void add_team_commands(CommandTable& table);
// … digest …
void add_digest_commands(CommandTable& table);
// … and the person's own data: export, forget-me (data_rights_commands.cpp).
void add_data_rights_commands(CommandTable& table);

}  // namespace okr::bot::pipeline
