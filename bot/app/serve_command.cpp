#include <CLI/CLI.hpp>

#include "bot/app/commands.hpp"
#include "bot/app/serve.hpp"

namespace okr::bot::app {

void add_serve_command(CLI::App& app, CommandLine& line) {
  CLI::App& sub = *app.add_subcommand(
      "serve",
      "Run the service: migrate the database, then serve HTTP (or HTTPS) until SIGINT/SIGTERM");
  add_common_options(sub, line);
  sub.callback([&line] { line.run = [](const okr::config::Config& c) { return serve(c); }; });
}

}  // namespace okr::bot::app
