// The `demo-data` subcommand. Being written; registers nothing yet.
#include "bot/app/commands.hpp"

namespace okr::bot::app {

void add_demo_data_command(CLI::App& /*app*/, CommandLine& /*line*/) {}

}  // namespace okr::bot::app
