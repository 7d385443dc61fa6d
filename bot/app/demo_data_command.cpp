#include <CLI/CLI.hpp>
#include <iostream>

#include <spdlog/spdlog.h>

#include "bot/app/commands.hpp"
#include "bot/pipeline/clock.hpp"
#include "bot/web/demo_team.hpp"
#include "storage/database.hpp"

namespace okr::bot::app {

void add_demo_data_command(CLI::App& app, CommandLine& line) {
  CLI::App& sub = *app.add_subcommand(
      "demo-data",
      "Fill the database with a demo team (5 people, 3 objectives, 12 weeks of check-ins) for the "
      "web page; does nothing when the demo team is already there");
  add_common_options(sub, line);  // --db and --web-user among them
  sub.callback([&line] {
    line.run = [](const okr::config::Config& config) {
      try {
        auto db = storage::Database::open(config.db_path);
        db.migrate();
        const auto result = web::add_demo_team(db, config.web_user, pipeline::system_now());
        if (!result.created) {
          std::cout << "The demo team (\"" << web::kDemoTeamName << "\") is already in "
                    << config.db_path << "; nothing was changed.\n";
          return 0;
        }
        std::cout << "Added \"" << web::kDemoTeamName << "\" to " << config.db_path << ": "
                  << result.people << " people (you are \"" << config.web_user
                  << "\", its manager), " << result.objectives << " objectives, "
                  << result.key_results << " key results, " << result.check_ins
                  << " check-ins over " << web::kDemoWeeks << " weeks.\n"
                  << "Run `okr-coach serve` and open http://127.0.0.1:8080/ to see them.\n";
        return 0;
      } catch (const storage::StorageError& error) {
        spdlog::error("demo-data: {}", error.what());
        return 2;
      }
    };
  });
}

}  // namespace okr::bot::app
