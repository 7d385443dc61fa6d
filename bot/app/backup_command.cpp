// `okr-coach backup --to FILE`: a consistent copy of the database taken while `serve` runs
// (storage/online_backup.hpp). Exit codes: 0 copied, 1 the copy failed, 2 refused (FILE exists
// without --force, no database at --db, bad arguments).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "bot/app/commands.hpp"
#include "storage/database.hpp"
#include "storage/online_backup.hpp"

namespace okr::bot::app {
namespace {

struct BackupOptions {
  std::string to;
  bool force = false;
};

int backup(const okr::config::Config& config, const BackupOptions& options) {
  try {
    const auto report = okr::storage::backup_database(config.db_path, options.to, options.force);
    // A fixed wording so scripts can match the line.
    std::cout << "backed up " << report.pages << " pages at schema version " << report.schema_version << " to "
              << options.to << "\n";
    return 0;
  } catch (const okr::storage::StorageError& e) {
    std::cerr << "okr-coach " << e.what() << "\n";
    const bool refused = e.code() == okr::storage::StorageError::Code::conflict ||
                         e.code() == okr::storage::StorageError::Code::cannot_open;
    return refused ? 2 : 1;
  }
}

}  // namespace

void add_backup_command(CLI::App& app, CommandLine& line) {
  auto options = std::make_shared<BackupOptions>();
  CLI::App& sub = *app.add_subcommand(
      "backup", "Copy the database (--db) to a new file while serve keeps running (SQLite online backup)");
  add_common_options(sub, line);
  sub.add_option("--to", options->to, "The file to write; it must not exist yet")->required();
  sub.add_flag("--force", options->force, "Replace FILE when it already exists");
  sub.callback([&line, options] {
    line.run = [options](const okr::config::Config& config) { return backup(config, *options); };
  });
}

}  // namespace okr::bot::app
