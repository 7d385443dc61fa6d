#include "bot/app/cli.hpp"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "bot/app/commands.hpp"
#include "bot/app/logging.hpp"
#include "config/load.hpp"

namespace okr::bot::app {

namespace {

constexpr int kUsageError = 2;
constexpr int kInvalidConfig = 2;
constexpr int kInternalError = 1;

// Usage errors go to stderr with the help of the command the user was typing, so the fix is on
// screen; --help and --version are successes and go to stdout.
int report_parse_error(CLI::App& app, const CLI::ParseError& e) {
  if (e.get_exit_code() == 0) {
    return app.exit(e);
  }
  // CLI11 reports a misspelt subcommand as "a subcommand is required"; name the word instead.
  const auto leftover = app.remaining();
  if (app.get_subcommands().empty() && !leftover.empty()) {
    const bool is_option = leftover.front().starts_with('-');
    std::cerr << "okr-coach: unknown " << (is_option ? "option" : "subcommand") << " '"
              << leftover.front() << "'\n\n"
              << app.help();
    return kUsageError;
  }
  std::cerr << "okr-coach: " << e.what() << "\n\n" << app.help();
  return kUsageError;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"OKR Coach: a chat bot that coaches teams through their OKRs", "okr-coach"};
  app.set_version_flag("--version", std::string("okr-coach ") + OKR_VERSION,
                       "Print the version and exit");
  app.require_subcommand(1);

  CommandLine line;
  register_commands(app, line);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return report_parse_error(app, e);
  }
  if (!line.run) {  // a subcommand without a callback: a bug in its registration
    std::cerr << "okr-coach: internal error: the subcommand did not register what to run\n";
    return kInternalError;
  }

  line.sources.environment = okr::config::read_environment();
  const okr::config::LoadResult loaded = okr::config::load(line.sources);
  if (!loaded.ok()) {
    for (const okr::config::Problem& problem : loaded.problems) {
      std::cerr << problem.field << ": " << problem.message << "\n";
    }
    return kInvalidConfig;
  }

  setup_logging(loaded.config);
  try {
    return line.run(loaded.config);
  } catch (const std::exception& e) {
    spdlog::critical("okr-coach: unexpected error: {}", e.what());
    return kInternalError;
  }
}

}  // namespace okr::bot::app
