// `okr-coach rotate-key`: placeholder registered so the command name is reserved; its owner
// replaces this file.
#include <CLI/CLI.hpp>
#include <iostream>

#include "bot/app/commands.hpp"

namespace okr::bot::app {

void add_rotate_key_command(CLI::App& app, CommandLine& line) {
  CLI::App& sub = *app.add_subcommand("rotate-key", "Re-encrypt stored tokens under a new OKR_COACH_SECRET_KEY (issue 11; being built)");
  add_common_options(sub, line);
  sub.callback([&line] {
    line.run = [](const okr::config::Config&) {
      std::cerr << "okr-coach rotate-key: not available yet\n";
      return 1;
    };
  });
}

}  // namespace okr::bot::app
