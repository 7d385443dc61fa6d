#pragma once
// Slash command request bodies (form-encoded) -> the /okr subcommand asked for.
#include <string>
#include <string_view>
#include <variant>

#include "bot/slack/parse_error.hpp"

namespace okr::bot::slack {

enum class OkrSubcommand {
  help,
  draft,
  checkin,
  reflect,
  setup,
  list,
  digest,
  team,
  schedule,
  schedules,
  unschedule,
  share,
  export_data,  // `export`: the person's own data, sent in the DM (docs/data-rights.md)
  forget_me,    // `forget-me`: asks in the DM before anything is deleted
};

struct SlashCommand {
  std::string team_id;
  std::string channel_id;
  std::string channel_name;  // "growth"; Slack sends "directmessage" and the like for DMs
  std::string user_id;
  std::string command;  // "/okr"
  std::string text;     // everything after the command, as typed
  std::string response_url;
  std::string trigger_id;
  OkrSubcommand subcommand = OkrSubcommand::help;  // unknown or empty text -> help
  std::string rest;                                // the words after the subcommand, trimmed
};

// Slack's ssl_check=1 probe: answer 200 and do nothing.
struct SslCheck {};

using ParsedCommand = std::variant<SlashCommand, SslCheck, ParseError>;

ParsedCommand parse_command(std::string_view form_body);

// The keyword the coach understands in a DM for the subcommand ("draft", "check-in", ...).
std::string_view subcommand_name(OkrSubcommand subcommand);

// Subcommands answered where they were typed (through response_url) and run outside the DM's
// dialog, so they are never taken as the answer to an open question. Their arguments are kept.
bool answers_in_place(OkrSubcommand subcommand);

// The neutral text of a command: the subcommand's keyword, then (for those that take
// arguments) the rest as typed with Slack's markup made plain, e.g.
// "schedule reflect for <@U123|bob> every fri" -> "schedule reflect for @U123 every fri".
// `setup` typed in a channel (not a DM) names it: "setup channel C123 growth", which binds the
// channel's team (bot/pipeline/setup_commands.hpp); in a DM it stays "setup", the program
// settings dialog.
std::string command_text(const SlashCommand& command);

// Slack's escaped references made plain: a user mention <@U123> or <@U123|bob> becomes @U123, a
// channel <#C1|general> becomes #C1. Anything else in angle brackets is left as it is.
std::string plain_references(std::string_view text);

// What `/okr help` (and an unknown subcommand) answers.
std::string okr_help_text();

}  // namespace okr::bot::slack
