#pragma once
// Slack workspaces installed through OAuth (migration 10). The token columns hold text sealed by
// bot/secrets; storage never sees a plain token and does no cryptography.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dialogs/domain.hpp"

namespace okr::storage {

class Database;

struct SlackInstallation {
  std::string team_id;
  std::string enterprise_id;  // empty outside Enterprise Grid
  std::string team_name;
  std::string bot_user_id;
  std::string bot_token_sealed;
  std::string refresh_token_sealed;  // empty when the app does not rotate tokens
  std::optional<dialogs::TimePoint> token_expires_at;  // with rotation: when the bot token dies
  std::string scopes;             // comma-separated, as Slack granted them
  std::string installer_user_id;  // who clicked "Allow"
  dialogs::TimePoint installed_at{};
  dialogs::TimePoint updated_at{};
};

class SlackInstallations {
 public:
  explicit SlackInstallations(Database& db) : db_(db) {}

  // Inserts, or replaces a workspace installed again (installed_at is kept).
  void save(const SlackInstallation& installation);
  std::optional<SlackInstallation> find(const std::string& team_id);
  std::vector<SlackInstallation> all();
  // A refreshed token pair (rotation).
  void update_tokens(const std::string& team_id, const std::string& bot_token_sealed,
                     const std::string& refresh_token_sealed,
                     std::optional<dialogs::TimePoint> expires_at, dialogs::TimePoint now);
  // Returns false when the workspace had no row.
  bool remove(const std::string& team_id);

  // Replaces every non-empty sealed value by `reseal(team_id, column, sealed)` in one IMMEDIATE
  // transaction: all rows or none (a throw from `reseal` rolls everything back). `column` is
  // "bot_token" or "refresh_token". Returns how many values were replaced.
  int reseal_all(const std::function<std::string(const std::string& team_id,
                                                 const std::string& column,
                                                 const std::string& sealed)>& reseal);

 private:
  Database& db_;
};

}  // namespace okr::storage
