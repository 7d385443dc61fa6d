#include <CLI/CLI.hpp>
#include <iostream>

#include "bot/app/commands.hpp"
#include "storage/database.hpp"

namespace okr::bot::app {

namespace {

int migrate(const okr::config::Config& config) {
  try {
    auto db = okr::storage::Database::open(config.db_path);
    const int applied = db.migrate();
    // A fixed wording (always "migrations") so scripts can match the line.
    std::cout << "applied " << applied << " migrations; schema version " << db.schema_version()
              << "\n";
    return 0;
  } catch (const okr::storage::StorageError& e) {
    std::cerr << "okr-coach migrate: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace

void add_migrate_command(CLI::App& app, CommandLine& line) {
  CLI::App& sub = *app.add_subcommand(
      "migrate", "Apply pending database migrations and exit (--db overrides OKR_COACH_DB)");
  add_common_options(sub, line);
  sub.callback([&line] { line.run = migrate; });
}

}  // namespace okr::bot::app
