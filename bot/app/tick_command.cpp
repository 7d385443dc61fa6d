// The `tick` subcommand. Being written; registers nothing yet.
#include "bot/app/commands.hpp"

namespace okr::bot::app {

void add_tick_command(CLI::App& /*app*/, CommandLine& /*line*/) {}

}  // namespace okr::bot::app
