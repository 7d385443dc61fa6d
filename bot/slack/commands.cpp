#include "bot/slack/commands.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "bot/slack/form.hpp"
#include "dialogs/words.hpp"

namespace okr::bot::slack {
namespace {

OkrSubcommand subcommand_of(std::string_view word) {
  static constexpr std::array<std::pair<std::string_view, OkrSubcommand>, 16> kWords{{
      {"help", OkrSubcommand::help},
      {"draft", OkrSubcommand::draft},
      {"checkin", OkrSubcommand::checkin},
      {"check-in", OkrSubcommand::checkin},
      {"reflect", OkrSubcommand::reflect},
      {"setup", OkrSubcommand::setup},
      {"list", OkrSubcommand::list},
      {"digest", OkrSubcommand::digest},
      {"okrs", OkrSubcommand::list},
      {"team", OkrSubcommand::team},
      {"schedule", OkrSubcommand::schedule},
      {"schedules", OkrSubcommand::schedules},
      {"unschedule", OkrSubcommand::unschedule},
      {"share", OkrSubcommand::share},
      {"export", OkrSubcommand::export_data},
      {"forget-me", OkrSubcommand::forget_me},
  }};
  const std::string key = dialogs::lower_ascii(word);
  for (const auto& [name, subcommand] : kWords) {
    if (name == key)
      return subcommand;
  }
  return OkrSubcommand::help;
}

}  // namespace

ParsedCommand parse_command(std::string_view form_body) {
  const auto fields = parse_form(form_body);
  if (!fields) {
    return ParseError{"form body has a broken %-escape"};
  }
  if (form_value(*fields, "ssl_check").value_or("") == "1") {
    return SslCheck{};
  }
  SlashCommand command;
  const auto required = [&](std::string_view name, std::string& into) {
    auto value = form_value(*fields, name);
    if (!value || value->empty())
      return false;
    into = std::move(*value);
    return true;
  };
  for (const auto& [name, into] :
       {std::pair<std::string_view, std::string*>{"command", &command.command},
        {"team_id", &command.team_id},
        {"user_id", &command.user_id}}) {
    if (!required(name, *into)) {
      return ParseError{"slash command without " + std::string(name)};
    }
  }
  command.channel_id = form_value(*fields, "channel_id").value_or("");
  command.channel_name = form_value(*fields, "channel_name").value_or("");
  command.text = form_value(*fields, "text").value_or("");
  command.response_url = form_value(*fields, "response_url").value_or("");
  command.trigger_id = form_value(*fields, "trigger_id").value_or("");
  const std::string_view text = dialogs::trim(command.text);
  const auto space = text.find_first_of(" \t");
  command.subcommand = subcommand_of(text.substr(0, space));
  command.rest =
      space == std::string_view::npos ? "" : std::string(dialogs::trim(text.substr(space)));
  return command;
}

std::string_view subcommand_name(OkrSubcommand subcommand) {
  switch (subcommand) {
    case OkrSubcommand::help:
      return "help";
    case OkrSubcommand::draft:
      return "draft";
    case OkrSubcommand::checkin:
      return "checkin";
    case OkrSubcommand::reflect:
      return "reflect";
    case OkrSubcommand::setup:
      return "setup";
    case OkrSubcommand::list:
      return "okrs";
    case OkrSubcommand::digest:
      return "digest";
    case OkrSubcommand::team:
      return "team";
    case OkrSubcommand::schedule:
      return "schedule";
    case OkrSubcommand::schedules:
      return "schedules";
    case OkrSubcommand::unschedule:
      return "unschedule";
    case OkrSubcommand::share:
      return "share";
    // Both answer in the DM, never through the response_url: an export can take more messages
    // than Slack allows one (five), and the confirmation of forget-me should be private.
    case OkrSubcommand::export_data:
      return "export";
    case OkrSubcommand::forget_me:
      return "forget-me";
  }
  return "help";
}

bool answers_in_place(OkrSubcommand subcommand) {
  switch (subcommand) {
    case OkrSubcommand::list:
    case OkrSubcommand::digest:
    case OkrSubcommand::team:
    case OkrSubcommand::schedule:
    case OkrSubcommand::schedules:
    case OkrSubcommand::unschedule:
    case OkrSubcommand::share:
      return true;
    default:
      return false;
  }
}

// Public (C…) and private (G…) channels; DMs (D…) are not channels a team can live in.
static bool is_team_channel(std::string_view channel_id) {
  return channel_id.size() > 1 && (channel_id.front() == 'C' || channel_id.front() == 'G');
}

std::string command_text(const SlashCommand& command) {
  std::string text(subcommand_name(command.subcommand));
  if (command.subcommand == OkrSubcommand::setup && is_team_channel(command.channel_id)) {
    text += " channel " + command.channel_id;
    // One word: the neutral form reads the name as the last word.
    if (!command.channel_name.empty() && command.channel_name.find(' ') == std::string::npos)
      text += " " + command.channel_name;
    return text;
  }
  // A dialog keyword with words after it would no longer be the keyword; only the commands
  // that take arguments keep them.
  if (answers_in_place(command.subcommand) && !command.rest.empty())
    text += " " + plain_references(command.rest);
  return text;
}

std::string plain_references(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    const bool reference =
        text[at] == '<' && at + 2 < text.size() && (text[at + 1] == '@' || text[at + 1] == '#');
    const auto close = reference ? text.find('>', at) : std::string_view::npos;
    if (close == std::string_view::npos) {
      out += text[at++];
      continue;
    }
    // <@U123|bob> -> @U123: the id is what the coach can look up; the label is only a hint.
    const auto inside = text.substr(at + 1, close - at - 1);
    const auto bar = inside.find('|');
    const auto id = inside.substr(0, bar);
    if (id.size() < 2 || id.find_first_of(" <") != std::string_view::npos) {
      out += text[at++];
      continue;
    }
    out += id;
    at = close + 1;
  }
  return out;
}

std::string okr_help_text() {
  return "I'm your OKR coach. Try:\n"
         "• `/okr draft` — shape a new objective and its key results together\n"
         "• `/okr checkin` — a short check-in on how your key results are moving\n"
         "• `/okr reflect` — look back on the cycle and what you learnt\n"
         "• `/okr setup` — in a channel: make the channel's people a team (you pick its managers "
         "and coaches); in our DM: the team's program settings\n"
         "• `/okr share` — send your latest reflection to your coach (it is private until then)\n"
         "• `/okr list` — your OKRs and their progress\n"
         "• `/okr digest` — the team's weekly digest (or `/okr digest 2026-W48` for a week)\n"
         "• `/okr team …` — your team: who is in it, adding or removing someone\n"
         "• `/okr schedule …` — a regular check-in or reflection, e.g. "
         "`/okr schedule reflect for @someone every fri at 16:00`\n"
         "• `/okr schedules` — the schedules you set up\n"
         "• `/okr unschedule ID` — stop one of them\n"
         "We carry on in our direct messages, where you can also just write to me.";
}

}  // namespace okr::bot::slack
