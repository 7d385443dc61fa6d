#include "bot/app/commands.hpp"

#include <CLI/CLI.hpp>
#include <string>

#include "config/fields.hpp"

namespace okr::bot::app {

void register_commands(CLI::App& app, CommandLine& line) {
  add_serve_command(app, line);
  add_migrate_command(app, line);
  add_check_config_command(app, line);
  add_chat_command(app, line);
  add_tick_command(app, line);
  add_digest_command(app, line);
  add_demo_data_command(app, line);
  add_config_reference_command(app, line);
  add_backup_command(app, line);
  add_rotate_key_command(app, line);
}

void add_common_options(CLI::App& subcommand, CommandLine& line) {
  subcommand
      .add_option_function<std::string>(
          "--config", [&line](const std::string& path) { line.sources.config_file = path; },
          "JSON configuration file (settings from the environment and flags override it)")
      ->type_name("FILE");

  // Every field with a flag in the table becomes an option here, with the field's own doc, so
  // a new flag needs only its row in config/fields.cpp.
  for (const okr::config::Field& field : okr::config::fields()) {
    if (field.flag.empty()) {
      continue;
    }
    const std::string env(field.env);
    subcommand
        .add_option_function<std::string>(
            std::string(field.flag),
            [&line, env](const std::string& value) { line.sources.flags[env] = value; },
            std::string(field.doc) + " Overrides " + env + ".")
        ->type_name(std::string(field.value_name));
  }
}

}  // namespace okr::bot::app
