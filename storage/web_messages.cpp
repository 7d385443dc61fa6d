#include "storage/web_messages.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>

#include "dialogs/message_json.hpp"
#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"
#include "storage/write_scope.hpp"

namespace okr::storage {

dialogs::Id WebMessages::append(const std::string& workspace, const std::string& person_ref,
                                WebAuthor author, const dialogs::Outbound& message,
                                const std::string& source_key, dialogs::TimePoint at) {
  return guarded("appending to the web conversation of " + person_ref, [&] {
    WriteScope scope(db_.handle());
    if (!source_key.empty()) {
      auto existing = db_.statement("SELECT id FROM web_messages WHERE source_key = ?");
      existing.bind(1, source_key);
      if (existing.executeStep())
        return existing.getColumn(0).getInt64();
    }
    auto insert = db_.statement("INSERT INTO web_messages (workspace, person_ref, author, message, "
                             "source_key, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    insert.bind(1, workspace);
    insert.bind(2, person_ref);
    insert.bind(3, author == WebAuthor::person ? "person" : "coach");
    insert.bind(4, nlohmann::json(message).dump());
    if (source_key.empty())
      insert.bind(5);
    else
      insert.bind(5, source_key);
    insert.bind(6, to_unix(at));
    insert.exec();
    const auto id = db_.handle().getLastInsertRowid();
    scope.commit();
    return id;
  });
}

std::vector<WebMessage> WebMessages::after(const std::string& workspace,
                                           const std::string& person_ref, dialogs::Id after_id,
                                           std::size_t limit) {
  return guarded("reading the web conversation of " + person_ref, [&] {
    auto q = db_.statement("SELECT id, author, message, created_at FROM web_messages "
                        "WHERE workspace = ? AND person_ref = ? AND id > ? ORDER BY id LIMIT ?");
    q.bind(1, workspace);
    q.bind(2, person_ref);
    q.bind(3, after_id);
    q.bind(4, static_cast<std::int64_t>(limit));
    std::vector<WebMessage> out;
    while (q.executeStep()) {
      WebMessage m;
      m.id = q.getColumn(0).getInt64();
      m.author = q.getColumn(1).getString() == "person" ? WebAuthor::person : WebAuthor::coach;
      try {
        m.message = nlohmann::json::parse(q.getColumn(2).getString()).get<dialogs::Outbound>();
      } catch (const nlohmann::json::exception& e) {
        // Written by us, so this is a bug or a hand-edited row: show that something was there.
        m.message.text = "(this message could not be read)";
      }
      m.at = from_unix(q.getColumn(3).getInt64());
      out.push_back(std::move(m));
    }
    return out;
  });
}

}  // namespace okr::storage
