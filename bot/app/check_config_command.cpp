#include <CLI/CLI.hpp>
#include <iostream>

#include "bot/app/commands.hpp"
#include "bot/pipeline/dialog_catalog.hpp"

namespace okr::bot::app {

void add_check_config_command(CLI::App& app, CommandLine& line) {
  CLI::App& sub = *app.add_subcommand(
      "check-config",
      "Print the effective configuration as JSON with secrets as \"***\"; exit 2 listing every "
      "problem when it is invalid");
  add_common_options(sub, line);
  // An invalid configuration never gets here: run_cli reports it for every command alike.
  sub.callback([&line] {
    line.run = [](const okr::config::Config& config) {
      // The dialog files are configuration too: a broken one would stop serve and chat.
      const auto dialogs = pipeline::load_dialog_catalog(config);
      for (const auto& problem : dialogs.problems) {
        std::cerr << "OKR_COACH_DIALOGS_DIR: " << (problem.error ? "" : "warning: ")
                  << problem.describe() << "\n";
      }
      if (!dialogs.ok()) return 2;
      std::cout << okr::config::to_redacted_json(config) << "\n";
      return 0;
    };
  });
}

}  // namespace okr::bot::app
