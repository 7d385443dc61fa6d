#include "storage/installations.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"

namespace okr::storage {
namespace {

constexpr const char* kColumns =
    "team_id, enterprise_id, team_name, bot_user_id, bot_token_sealed, refresh_token_sealed, "
    "token_expires_at, scopes, installer_user_id, installed_at, updated_at";

SlackInstallation read_row(SQLite::Statement& row) {
  SlackInstallation out;
  out.team_id = row.getColumn(0).getString();
  out.enterprise_id = row.getColumn(1).getString();
  out.team_name = row.getColumn(2).getString();
  out.bot_user_id = row.getColumn(3).getString();
  out.bot_token_sealed = row.getColumn(4).getString();
  out.refresh_token_sealed = row.getColumn(5).getString();
  if (!row.getColumn(6).isNull())
    out.token_expires_at = from_unix(row.getColumn(6).getInt64());
  out.scopes = row.getColumn(7).getString();
  out.installer_user_id = row.getColumn(8).getString();
  out.installed_at = from_unix(row.getColumn(9).getInt64());
  out.updated_at = from_unix(row.getColumn(10).getInt64());
  return out;
}

void bind_expiry(SQLite::Statement& statement, int index,
                 const std::optional<dialogs::TimePoint>& expires_at) {
  if (expires_at)
    statement.bind(index, static_cast<std::int64_t>(to_unix(*expires_at)));
  else
    statement.bind(index);
}

}  // namespace

void SlackInstallations::save(const SlackInstallation& in) {
  guarded("saving the Slack installation of workspace " + in.team_id, [&] {
    auto upsert = db_.statement(std::string("INSERT INTO slack_installations (") + kColumns +
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (team_id) DO UPDATE SET "
            "enterprise_id = excluded.enterprise_id, team_name = excluded.team_name, "
            "bot_user_id = excluded.bot_user_id, bot_token_sealed = excluded.bot_token_sealed, "
            "refresh_token_sealed = excluded.refresh_token_sealed, "
            "token_expires_at = excluded.token_expires_at, scopes = excluded.scopes, "
            "installer_user_id = excluded.installer_user_id, updated_at = excluded.updated_at");
    int i = 1;
    for (const std::string* value :
         {&in.team_id, &in.enterprise_id, &in.team_name, &in.bot_user_id, &in.bot_token_sealed,
          &in.refresh_token_sealed}) {
      upsert.bind(i++, *value);
    }
    bind_expiry(upsert, i++, in.token_expires_at);
    upsert.bind(i++, in.scopes);
    upsert.bind(i++, in.installer_user_id);
    upsert.bind(i++, static_cast<std::int64_t>(to_unix(in.installed_at)));
    upsert.bind(i, static_cast<std::int64_t>(to_unix(in.updated_at)));
    upsert.exec();
  });
}

std::optional<SlackInstallation> SlackInstallations::find(const std::string& team_id) {
  return guarded("reading the Slack installation of workspace " + team_id,
                 [&]() -> std::optional<SlackInstallation> {
                   auto query = db_.statement(std::string("SELECT ") + kColumns +
                                                             " FROM slack_installations "
                                                             "WHERE team_id = ?");
                   query.bind(1, team_id);
                   if (!query.executeStep())
                     return std::nullopt;
                   return read_row(query);
                 });
}

std::vector<SlackInstallation> SlackInstallations::all() {
  return guarded("listing Slack installations", [&] {
    auto query = db_.statement(std::string("SELECT ") + kColumns +
                                              " FROM slack_installations ORDER BY team_id");
    std::vector<SlackInstallation> out;
    while (query.executeStep())
      out.push_back(read_row(query));
    return out;
  });
}

void SlackInstallations::update_tokens(const std::string& team_id,
                                       const std::string& bot_token_sealed,
                                       const std::string& refresh_token_sealed,
                                       std::optional<dialogs::TimePoint> expires_at,
                                       dialogs::TimePoint now) {
  guarded("storing refreshed Slack tokens of workspace " + team_id, [&] {
    auto update = db_.statement("UPDATE slack_installations SET bot_token_sealed = ?, "
                             "refresh_token_sealed = ?, token_expires_at = ?, updated_at = ? "
                             "WHERE team_id = ?");
    update.bind(1, bot_token_sealed);
    update.bind(2, refresh_token_sealed);
    bind_expiry(update, 3, expires_at);
    update.bind(4, static_cast<std::int64_t>(to_unix(now)));
    update.bind(5, team_id);
    if (update.exec() == 0)
      throw StorageError(StorageError::Code::not_found,
                         "storing refreshed Slack tokens: workspace " + team_id +
                             " is not installed");
  });
}

bool SlackInstallations::remove(const std::string& team_id) {
  return guarded("removing the Slack installation of workspace " + team_id, [&] {
    auto remove = db_.statement("DELETE FROM slack_installations WHERE team_id = ?");
    remove.bind(1, team_id);
    return remove.exec() > 0;
  });
}

int SlackInstallations::reseal_all(
    const std::function<std::string(const std::string&, const std::string&, const std::string&)>&
        reseal) {
  return guarded("re-sealing stored Slack tokens", [&] {
    SQLite::Transaction tx(db_.handle(), SQLite::TransactionBehavior::IMMEDIATE);
    int replaced = 0;
    for (const auto& row : all()) {
      const std::string bot = reseal(row.team_id, "bot_token", row.bot_token_sealed);
      const std::string refresh =
          row.refresh_token_sealed.empty()
              ? std::string()
              : reseal(row.team_id, "refresh_token", row.refresh_token_sealed);
      auto update = db_.statement("UPDATE slack_installations SET bot_token_sealed = ?, "
                               "refresh_token_sealed = ? WHERE team_id = ?");
      update.bind(1, bot);
      update.bind(2, refresh);
      update.bind(3, row.team_id);
      update.exec();
      replaced += row.refresh_token_sealed.empty() ? 1 : 2;
    }
    tx.commit();
    return replaced;
  });
}

}  // namespace okr::storage
