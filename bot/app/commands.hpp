#pragma once
// The subcommands of okr-coach. Each lives in its own file as one add_<name>_command function
// that declares the subcommand, its own options, and what it runs once the configuration is
// loaded and valid.
//
// HOW TO ADD A SUBCOMMAND (e.g. `chat`)
// 1. Create bot/app/chat_command.cpp with
//      void add_chat_command(CLI::App& app, CommandLine& line) {
//        auto options = std::make_shared<ChatOptions>();   // outlives parsing
//        CLI::App& sub = *app.add_subcommand("chat", "Talk to the coach in this terminal");
//        add_common_options(sub, line);                      // --config, --db, --log-level, ...
//        sub.add_option("--as", options->user, "...");
//        sub.callback([&line, options] {
//          line.run = [options](const okr::config::Config& c) { return run_chat(c, *options); };
//        });
//      }
// 2. Declare it below and call it in register_commands() (bot/app/commands.cpp).
// 3. Describe it in docs/cli.md.
// Configuration loading, validation ("FIELD: message" lines, exit 2), logging set-up and
// exit codes are handled once in run_cli (bot/app/cli.cpp), not in each command.
#include <functional>

#include "config/config.hpp"
#include "config/load.hpp"

namespace CLI {
class App;
}

namespace okr::bot::app {

// What the command line asked for, filled while CLI11 parses.
struct CommandLine {
  // --config and the setting flags (keyed by env name, e.g. "OKR_COACH_DB"); run_cli adds the
  // environment before loading.
  okr::config::Sources sources;
  // Set by the callback of the subcommand that was chosen; returns the process exit code.
  std::function<int(const okr::config::Config&)> run;
};

// --config FILE, --db PATH, --listen HOST:PORT, --log-level, --log-format, --threads: the
// settings every subcommand accepts. Values go to line.sources.flags unparsed, so they are
// validated by the same parser as the environment and the file.
void add_common_options(CLI::App& subcommand, CommandLine& line);

void add_serve_command(CLI::App& app, CommandLine& line);
void add_migrate_command(CLI::App& app, CommandLine& line);
void add_check_config_command(CLI::App& app, CommandLine& line);
void add_chat_command(CLI::App& app, CommandLine& line);  // bot/app/chat_command.cpp
void add_tick_command(CLI::App& app, CommandLine& line);       // bot/app/tick_command.cpp
void add_digest_command(CLI::App& app, CommandLine& line);     // bot/app/digest_command.cpp
void add_demo_data_command(CLI::App& app, CommandLine& line);  // bot/app/demo_data_command.cpp
void add_config_reference_command(CLI::App& app, CommandLine& line);
void add_backup_command(CLI::App& app, CommandLine& line);      // bot/app/backup_command.cpp
void add_rotate_key_command(CLI::App& app, CommandLine& line);  // bot/app/rotate_key_command.cpp

// Registers every subcommand on `app`: the one list to extend.
void register_commands(CLI::App& app, CommandLine& line);

}  // namespace okr::bot::app
