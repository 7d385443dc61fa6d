#include <string>
#include <variant>

#include <catch2/catch.hpp>

#include "bot/slack/commands.hpp"
#include "bot/slack/form.hpp"

using namespace okr::bot::slack;

namespace {

std::string command_body(const std::string& text) {
  return "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&enterprise_id="
         "E0001&enterprise_name=Globular%20Construct%20Inc&channel_id=C2147483705&channel_name="
         "test&user_id=U2147483697&user_name=Steve&command=%2Fokr&text=" +
         form_encode(text) +
         "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678&trigger_id="
         "13345224609.738474920.8088930838d88f008e0&api_app_id=A123456";
}

const SlashCommand& as_command(const ParsedCommand& parsed) {
  if (const auto* error = std::get_if<ParseError>(&parsed)) {
    FAIL("parse error: " << error->message);
  }
  REQUIRE(std::holds_alternative<SlashCommand>(parsed));
  return std::get<SlashCommand>(parsed);
}

}  // namespace

TEST_CASE("a slash command body gives its fields decoded", "[slack][commands]") {
  const auto parsed = parse_command(command_body("draft"));
  const auto& command = as_command(parsed);
  CHECK(command.command == "/okr");
  CHECK(command.team_id == "T0001");
  CHECK(command.user_id == "U2147483697");
  CHECK(command.channel_id == "C2147483705");
  CHECK(command.response_url == "https://hooks.slack.com/commands/1234/5678");
  CHECK(command.trigger_id == "13345224609.738474920.8088930838d88f008e0");
  CHECK(command.subcommand == OkrSubcommand::draft);
  CHECK(command.rest.empty());
}

TEST_CASE("each /okr subcommand is recognised, in any case", "[slack][commands]") {
  const std::pair<const char*, OkrSubcommand> cases[] = {
      {"help", OkrSubcommand::help},       {"draft", OkrSubcommand::draft},
      {"checkin", OkrSubcommand::checkin}, {"Check-in", OkrSubcommand::checkin},
      {"REFLECT", OkrSubcommand::reflect}, {"setup", OkrSubcommand::setup},
      {"list", OkrSubcommand::list},       {"digest", OkrSubcommand::digest}};
  for (const auto& [text, expected] : cases) {
    INFO(text);
    CHECK(as_command(parse_command(command_body(text))).subcommand == expected);
  }
}

TEST_CASE("unknown or empty /okr text asks for help", "[slack][commands]") {
  for (const char* text : {"", "   ", "make me rich", "drafts"}) {
    INFO(text);
    CHECK(as_command(parse_command(command_body(text))).subcommand == OkrSubcommand::help);
  }
  CHECK(okr_help_text().find("/okr draft") != std::string::npos);
}

TEST_CASE("words after the subcommand are kept as the rest", "[slack][commands]") {
  const auto parsed = parse_command(command_body("  draft   grow the community  "));
  const auto& command = as_command(parsed);
  CHECK(command.subcommand == OkrSubcommand::draft);
  CHECK(command.rest == "grow the community");
  CHECK(command.text == "  draft   grow the community  ");
}

TEST_CASE("the subcommand maps to the word the coach understands in a DM", "[slack][commands]") {
  CHECK(subcommand_name(OkrSubcommand::draft) == "draft");
  CHECK(subcommand_name(OkrSubcommand::checkin) == "checkin");
  CHECK(subcommand_name(OkrSubcommand::list) == "okrs");
}

TEST_CASE("an ssl_check probe is recognised", "[slack][commands]") {
  CHECK(std::holds_alternative<SslCheck>(parse_command("ssl_check=1&token=abc")));
}

TEST_CASE("malformed slash command bodies name what is wrong", "[slack][commands]") {
  auto error_of = [](std::string_view body) {
    const auto parsed = parse_command(body);
    REQUIRE(std::holds_alternative<ParseError>(parsed));
    return std::get<ParseError>(parsed).message;
  };
  CHECK(error_of("team_id=T1&user_id=U1&text=x") == "slash command without command");
  CHECK(error_of("command=%2Fokr&user_id=U1") == "slash command without team_id");
  CHECK(error_of("command=%2Fokr&team_id=T1&user_id=") == "slash command without user_id");
  CHECK(error_of("command=%2Fokr&team_id=T1&user_id=U1&text=%zz") ==
        "form body has a broken %-escape");
  CHECK(error_of("command=%2Fokr&team_id=T1&user_id=U1&text=%4") ==
        "form body has a broken %-escape");
}

TEST_CASE("form decoding handles plus, escapes and UTF-8", "[slack][form]") {
  const auto fields = parse_form("a=one+two&b=%E2%9C%93&c=&d&e=x%3Dy%26z");
  REQUIRE(fields);
  CHECK(form_value(*fields, "a") == "one two");
  CHECK(form_value(*fields, "b") == "\xE2\x9C\x93");
  CHECK(form_value(*fields, "c") == "");
  CHECK(form_value(*fields, "d") == "");
  CHECK(form_value(*fields, "e") == "x=y&z");
  CHECK_FALSE(form_value(*fields, "missing").has_value());
  const auto round = parse_form("v=" + form_encode("a b&c=d/é"));
  REQUIRE(round);
  CHECK(form_value(*round, "v") == "a b&c=d/é");
}

TEST_CASE("user mentions and channel references in command text become plain ids",
          "[slack][commands]") {
  CHECK(plain_references("for <@U123> and <@U456|bob>") == "for @U123 and @U456");
  CHECK(plain_references("post in <#C1|general> or <#C2>") == "post in #C1 or #C2");
  CHECK(plain_references("no markup at all") == "no markup at all");
  // Not a reference: left exactly as typed.
  CHECK(plain_references("a < b and <https://example.com|link>") ==
        "a < b and <https://example.com|link>");
  CHECK(plain_references("broken <@U123") == "broken <@U123");
  CHECK(plain_references("<@>") == "<@>");
}

TEST_CASE("team and schedule commands keep their whole text, references made plain",
          "[slack][commands]") {
  const std::pair<const char*, const char*> cases[] = {
      {"schedule reflect for <@U123|bob> every fri at 16:00",
       "schedule reflect for @U123 every fri at 16:00"},
      {"team add <@U777>", "team add @U777"},
      {"team", "team"},
      {"schedules", "schedules"},
      {"unschedule 12", "unschedule 12"},
      {"digest 2026-W48", "digest 2026-W48"},
      {"digest <#C9|okrs>", "digest #C9"},
      {"list", "okrs"},
      {"list <@U2>", "okrs @U2"},
      {"Schedule checkin for <@U1>  every mon", "schedule checkin for @U1  every mon"},
  };
  for (const auto& [typed, expected] : cases) {
    INFO(typed);
    const auto parsed = parse_command(command_body(typed));
    const auto& command = as_command(parsed);
    CHECK(answers_in_place(command.subcommand));
    CHECK(command_text(command) == expected);
  }
}

TEST_CASE("dialog commands drop words after the keyword and continue in the DM",
          "[slack][commands]") {
  const auto parsed = parse_command(command_body("draft <@U1> please"));
  const auto& command = as_command(parsed);
  CHECK(command.subcommand == OkrSubcommand::draft);
  CHECK(!answers_in_place(command.subcommand));
  CHECK(command_text(command) == "draft");
}

TEST_CASE("help lists the team and schedule commands", "[slack][commands]") {
  const auto help = okr_help_text();
  for (const char* command : {"/okr team", "/okr schedule ", "/okr schedules", "/okr unschedule"}) {
    INFO(command);
    CHECK(help.find(command) != std::string::npos);
  }
}
