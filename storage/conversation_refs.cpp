#include "storage/conversation_refs.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"

namespace okr::storage {
namespace {

constexpr const char* kColumns =
    "tenant_id, conversation_id, conversation_type, service_url, channel_id, bot_id, user_id, "
    "user_name, aad_object_id, locale, time_zone, last_activity_id, greeted, stale, updated_at";

ConversationRef read_ref(SQLite::Statement& row) {
  ConversationRef ref;
  ref.tenant_id = row.getColumn(0).getString();
  ref.conversation_id = row.getColumn(1).getString();
  ref.conversation_type = row.getColumn(2).getString();
  ref.service_url = row.getColumn(3).getString();
  ref.channel_id = row.getColumn(4).getString();
  ref.bot_id = row.getColumn(5).getString();
  ref.user_id = row.getColumn(6).getString();
  ref.user_name = row.getColumn(7).getString();
  ref.aad_object_id = row.getColumn(8).getString();
  ref.locale = row.getColumn(9).getString();
  ref.time_zone = row.getColumn(10).getString();
  ref.last_activity_id = row.getColumn(11).getString();
  ref.greeted = row.getColumn(12).getInt() != 0;
  ref.stale = row.getColumn(13).getInt() != 0;
  ref.updated_at = from_unix(row.getColumn(14).getInt64());
  return ref;
}

std::optional<ConversationRef> first(SQLite::Statement& query) {
  if (!query.executeStep())
    return std::nullopt;
  return read_ref(query);
}

}  // namespace

void ConversationRefs::remember(const ConversationRef& ref) {
  guarded("remembering Teams conversation " + ref.conversation_id, [&] {
    auto upsert = db_.statement(std::string("INSERT INTO teams_conversations (") +
                                               kColumns +
                                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) "
                                               "ON CONFLICT (tenant_id, conversation_id) DO UPDATE SET "
                                               "conversation_type = excluded.conversation_type, "
                                               "service_url = excluded.service_url, "
                                               "channel_id = excluded.channel_id, "
                                               "bot_id = CASE WHEN excluded.bot_id = '' THEN bot_id ELSE excluded.bot_id END, "
                                               "user_id = CASE WHEN excluded.user_id = '' THEN user_id ELSE excluded.user_id END, "
                                               "user_name = CASE WHEN excluded.user_name = '' THEN user_name ELSE excluded.user_name END, "
                                               "aad_object_id = CASE WHEN excluded.aad_object_id = '' THEN aad_object_id ELSE excluded.aad_object_id END, "
                                               "locale = CASE WHEN excluded.locale = '' THEN locale ELSE excluded.locale END, "
                                               "time_zone = CASE WHEN excluded.time_zone = '' THEN time_zone ELSE excluded.time_zone END, "
                                               "last_activity_id = CASE WHEN excluded.last_activity_id = '' THEN last_activity_id ELSE excluded.last_activity_id END, "
                                               "greeted = MAX(greeted, excluded.greeted), "
                                               "stale = 0, updated_at = excluded.updated_at");
    int i = 1;
    for (const std::string* value :
         {&ref.tenant_id, &ref.conversation_id, &ref.conversation_type, &ref.service_url,
          &ref.channel_id, &ref.bot_id, &ref.user_id, &ref.user_name, &ref.aad_object_id,
          &ref.locale, &ref.time_zone, &ref.last_activity_id}) {
      upsert.bind(i++, *value);
    }
    upsert.bind(i++, ref.greeted ? 1 : 0);
    upsert.bind(i, static_cast<std::int64_t>(to_unix(ref.updated_at)));
    upsert.exec();
  });
}

std::optional<ConversationRef> ConversationRefs::find(const std::string& tenant_id,
                                                      const std::string& conversation_id) {
  return guarded("reading Teams conversation " + conversation_id, [&] {
    auto query = db_.statement(std::string("SELECT ") + kColumns +
                                              " FROM teams_conversations WHERE tenant_id = ? AND "
                                              "conversation_id = ?");
    query.bind(1, tenant_id);
    query.bind(2, conversation_id);
    return first(query);
  });
}

std::optional<ConversationRef> ConversationRefs::personal_of(const std::string& tenant_id,
                                                             const std::string& user_id) {
  return guarded("finding the Teams 1:1 chat of " + user_id, [&] {
    auto query = db_.statement(std::string("SELECT ") + kColumns +
                                " FROM teams_conversations WHERE tenant_id = ? AND user_id = ? AND "
                                "conversation_type = 'personal' AND stale = 0 "
                                "ORDER BY updated_at DESC LIMIT 1");
    query.bind(1, tenant_id);
    query.bind(2, user_id);
    return first(query);
  });
}

std::optional<ConversationRef> ConversationRefs::any_of_user(const std::string& tenant_id,
                                                             const std::string& user_id) {
  return guarded("finding a Teams conversation of " + user_id, [&] {
    auto query = db_.statement(std::string("SELECT ") + kColumns +
                                              " FROM teams_conversations WHERE tenant_id = ? AND "
                                              "user_id = ? ORDER BY updated_at DESC LIMIT 1");
    query.bind(1, tenant_id);
    query.bind(2, user_id);
    return first(query);
  });
}

bool ConversationRefs::mark_greeted(const std::string& tenant_id,
                                    const std::string& conversation_id) {
  return guarded("marking Teams conversation " + conversation_id + " greeted", [&] {
    auto update = db_.statement("UPDATE teams_conversations SET greeted = 1 WHERE tenant_id = ? AND "
                             "conversation_id = ? AND greeted = 0");
    update.bind(1, tenant_id);
    update.bind(2, conversation_id);
    return update.exec() > 0;
  });
}

void ConversationRefs::mark_stale(const std::string& tenant_id,
                                  const std::string& conversation_id) {
  guarded("marking Teams conversation " + conversation_id + " stale", [&] {
    auto update = db_.statement("UPDATE teams_conversations SET stale = 1 WHERE tenant_id = ? AND "
                             "conversation_id = ?");
    update.bind(1, tenant_id);
    update.bind(2, conversation_id);
    update.exec();
  });
}

void ConversationRefs::forget(const std::string& tenant_id, const std::string& conversation_id) {
  mark_stale(tenant_id, conversation_id);
}

}  // namespace okr::storage
