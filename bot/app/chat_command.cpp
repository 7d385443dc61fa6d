#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "bot/app/commands.hpp"
#include "bot/terminal/chat.hpp"

namespace okr::bot::app {

void add_chat_command(CLI::App& app, CommandLine& line) {
  auto options = std::make_shared<terminal::ChatOptions>();  // outlives parsing
  CLI::App& sub = *app.add_subcommand(
      "chat", "Talk to the coach in this terminal: your lines on stdin, the coach's on stdout");
  add_common_options(sub, line);  // --db among them
  sub.add_option("--user", options->user, "Your name (created on first use; default: $USER)")
      ->type_name("NAME");
  sub.add_option("--team", options->team,
                 "Join this team (created on first use; its first member also becomes its coach and admin)")
      ->type_name("NAME");
  sub.callback([&line, options] {
    line.run = [options](const okr::config::Config& config) {
      return terminal::run_chat(config, *options, std::cin, std::cout);
    };
  });
}

}  // namespace okr::bot::app
