// `okr-coach rotate-key --old KEY --new KEY`: re-seals every stored Slack token under a new
// OKR_COACH_SECRET_KEY in one transaction: every value or none. Values already under the new
// key are checked and kept, so an interrupted or repeated run is safe. Keys are never printed,
// only their ids.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "bot/app/commands.hpp"
#include "bot/secrets/sealed_value.hpp"
#include "bot/slack/oauth_tokens.hpp"
#include "storage/database.hpp"
#include "storage/installations.hpp"

namespace okr::bot::app {
namespace {

struct RotateKeyOptions {
  std::string old_key;
  std::string new_key;
};

std::optional<secrets::SecretKey> key_from(const std::string& flag, const std::string& text) {
  auto key = secrets::parse_secret_key(text);
  if (!key)
    std::cerr << "okr-coach rotate-key: " << flag
              << " must be base64 of exactly 32 bytes (value hidden); "
              << secrets::kHowToMakeAKey << "\n";
  return key;
}

int rotate_key(const config::Config& config, const RotateKeyOptions& options) {
  const auto old_key = key_from("--old", options.old_key);
  const auto new_key = key_from("--new", options.new_key);
  if (!old_key || !new_key)
    return 2;
  int kept = 0;
  try {
    auto db = storage::Database::open(config.db_path);
    db.migrate();
    storage::SlackInstallations installations(db);
    const int total = installations.reseal_all([&](const std::string& team,
                                                   const std::string& column,
                                                   const std::string& sealed) {
      const auto context = slack::token_context(team, column);
      const auto id = secrets::sealed_key_id(sealed).value_or("?");
      if (id == new_key->id && secrets::unseal(*new_key, context, sealed)) {
        ++kept;
        return sealed;
      }
      if (id != old_key->id)
        throw std::runtime_error("the " + column + " of workspace " + team + " is sealed under key " +
                                 id + ", which is neither --old (" + old_key->id +
                                 ") nor --new (" + new_key->id + ")");
      const auto plain = secrets::unseal(*old_key, context, sealed);
      if (!plain)
        throw std::runtime_error("the " + column + " of workspace " + team +
                                 " names key " + id + " but does not open with --old: the "
                                 "stored value was changed or belongs to another row");
      return secrets::seal(*new_key, context, *plain);
    });
    std::cout << "re-sealed " << (total - kept) << " stored tokens under key " << new_key->id
              << " (" << kept << " were already under it); now set OKR_COACH_SECRET_KEY to the "
              << "new key, restart okr-coach, and back the new key up\n";
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "okr-coach rotate-key: nothing was changed: " << error.what() << "\n";
    return 2;
  }
}

}  // namespace

void add_rotate_key_command(CLI::App& app, CommandLine& line) {
  auto options = std::make_shared<RotateKeyOptions>();
  CLI::App& sub = *app.add_subcommand(
      "rotate-key",
      "Re-encrypt every stored Slack token from the old OKR_COACH_SECRET_KEY to a new one, all "
      "or nothing (stop serve first; run again safely if interrupted)");
  add_common_options(sub, line);
  sub.add_option("--old", options->old_key, "The key the tokens are sealed under now (base64)")
      ->required();
  sub.add_option("--new", options->new_key,
                 "The key to seal them under (base64; make one with openssl rand -base64 32)")
      ->required();
  sub.callback([&line, options] {
    line.run = [options](const config::Config& config) { return rotate_key(config, *options); };
  });
}

}  // namespace okr::bot::app
