// `okr-coach backup`: placeholder registered so the command name is reserved; its owner
// replaces this file.
#include <CLI/CLI.hpp>
#include <iostream>

#include "bot/app/commands.hpp"

namespace okr::bot::app {

void add_backup_command(CLI::App& app, CommandLine& line) {
  CLI::App& sub = *app.add_subcommand("backup", "Make an online, consistent copy of the database (issue 8; being built)");
  add_common_options(sub, line);
  sub.callback([&line] {
    line.run = [](const okr::config::Config&) {
      std::cerr << "okr-coach backup: not available yet\n";
      return 1;
    };
  });
}

}  // namespace okr::bot::app
