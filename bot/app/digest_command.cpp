// The `digest` subcommand: prints a team's weekly digest as text, markdown or the stable JSON
// form (docs/digest.md), e.g. for a cron job that mails it or a tool that imports it.
#include <CLI/CLI.hpp>
#include <date/date.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bot/app/commands.hpp"
#include "bot/pipeline/clock.hpp"
#include "bot/pipeline/team_digest.hpp"
#include "dialogs/digest_json.hpp"
#include "dialogs/digest_render.hpp"
#include "storage/database.hpp"
#include "storage/teams.hpp"

namespace okr::bot::app {
namespace {

constexpr int kUsageError = 2;

struct DigestOptions {
  std::string team;
  std::string week;
  std::string format = "text";
  std::string now;  // for tests and reruns: judge the digest as if it were this instant
};

std::optional<dialogs::TimePoint> read_instant(const std::string& text) {
  std::istringstream in(text);
  date::sys_seconds at;
  in >> date::parse("%FT%TZ", at);
  if (in.fail())
    return std::nullopt;
  return at;
}

int print_digest(const okr::config::Config& config, const DigestOptions& options, std::ostream& out,
                 std::ostream& err) {
  std::optional<dialogs::IsoWeek> week;
  if (!options.week.empty()) {
    week = dialogs::parse_iso_week(options.week);
    if (!week) {
      err << "okr-coach digest: --week: expected an ISO week such as 2026-W48, got '" << options.week << "'\n";
      return kUsageError;
    }
  }
  dialogs::TimePoint now = pipeline::system_now();
  if (!options.now.empty()) {
    const auto at = read_instant(options.now);
    if (!at) {
      err << "okr-coach digest: --now: expected a UTC instant such as 2026-11-30T09:00:00Z, got '" << options.now
          << "'\n";
      return kUsageError;
    }
    now = *at;
  }
  // A read-only question should not leave an empty database behind on a mistyped path.
  std::error_code missing;
  if (!std::filesystem::exists(config.db_path, missing)) {
    err << "okr-coach digest: no database at " << config.db_path << " (--db names the file; `okr-coach chat` or `serve` "
        << "creates one)\n";
    return kUsageError;
  }
  try {
    auto db = storage::Database::open(config.db_path);
    db.migrate();
    const auto team = storage::Teams(db).by_name(options.team);
    if (!team) {
      err << "okr-coach digest: no team called '" << options.team << "' in " << config.db_path << "\n";
      return kUsageError;
    }
    if (week && *week > dialogs::week_containing(now, team->settings.time_zone)) {
      err << "okr-coach digest: --week: " << dialogs::to_string(*week) << " has not started yet in team '" << options.team
          << "' (time zone " << team->settings.time_zone << ")\n";
      return kUsageError;
    }
    const auto digest = pipeline::weekly_digest(db, team->id, now, week);
    if (!digest) {
      err << "okr-coach digest: team '" << options.team << "' vanished while its digest was read\n";
      return 1;
    }
    if (options.format == "json")
      out << dialogs::digest_json(*digest).dump(2) << "\n";
    else if (options.format == "markdown")
      out << dialogs::digest_markdown(*digest);
    else
      out << dialogs::digest_text(*digest);
    return 0;
  } catch (const storage::StorageError& e) {
    err << "okr-coach digest: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

void add_digest_command(CLI::App& app, CommandLine& line) {
  auto options = std::make_shared<DigestOptions>();  // outlives parsing
  CLI::App& sub = *app.add_subcommand("digest", "Print a team's weekly digest (text, markdown or JSON)");
  add_common_options(sub, line);  // --db among them
  sub.add_option("--team", options->team, "The team's name")->required()->type_name("NAME");
  sub.add_option("--week", options->week, "The ISO week, e.g. 2026-W48 (default: the current week in the team's zone)")
      ->type_name("YYYY-Www");
  sub.add_option("--format", options->format, "text (default), markdown or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}))
      ->type_name("FORMAT");
  sub.add_option("--now", options->now, "Judge the digest as if it were this UTC instant, e.g. 2026-11-30T09:00:00Z")
      ->type_name("INSTANT");
  sub.callback([&line, options] {
    line.run = [options](const okr::config::Config& config) { return print_digest(config, *options, std::cout, std::cerr); };
  });
}

}  // namespace okr::bot::app
