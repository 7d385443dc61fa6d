#pragma once
// Stored Bot Framework conversation references (migration 8): what the coach needs to write
// into a Teams conversation later — above all the region-specific service URL — and whether the
// conversation was greeted. Captured on install and refreshed on every inbound activity.
#include <optional>
#include <string>

#include "dialogs/domain.hpp"

namespace okr::storage {

class Database;

struct ConversationRef {
  std::string tenant_id;
  std::string conversation_id;
  std::string conversation_type = "personal";  // personal | groupChat | channel
  std::string service_url;
  std::string channel_id = "msteams";
  std::string bot_id;   // 28:<app id>
  std::string user_id;  // 29:… of the person (personal chats: the other member)
  std::string user_name;
  std::string aad_object_id;
  std::string locale;
  std::string time_zone;  // IANA, from clientInfo; empty when never seen
  std::string last_activity_id;
  bool greeted = false;
  bool stale = false;  // the connector answered 403: the app is gone for this conversation
  dialogs::TimePoint updated_at{};
};

class ConversationRefs {
 public:
  explicit ConversationRefs(Database& db) : db_(db) {}

  // Inserts or refreshes the reference (and revives a stale one). Empty optional fields of
  // `ref` (time zone, locale, names, activity id) keep what was stored; `greeted` is never
  // lowered here.
  void remember(const ConversationRef& ref);
  std::optional<ConversationRef> find(const std::string& tenant_id,
                                      const std::string& conversation_id);
  // The person's 1:1 chat with the coach that is not stale, when there is one.
  std::optional<ConversationRef> personal_of(const std::string& tenant_id,
                                             const std::string& user_id);
  // Any reference that mentions the person (e.g. a channel), newest first: its service URL is
  // where a 1:1 chat can be created.
  std::optional<ConversationRef> any_of_user(const std::string& tenant_id,
                                             const std::string& user_id);
  // Sets greeted; returns true when it was not greeted before (the caller greets now).
  bool mark_greeted(const std::string& tenant_id, const std::string& conversation_id);
  void mark_stale(const std::string& tenant_id, const std::string& conversation_id);
  // The app was uninstalled: the reference is kept stale (greeted stays, so a reinstall does
  // not greet twice).
  void forget(const std::string& tenant_id, const std::string& conversation_id);

 private:
  Database& db_;
};

}  // namespace okr::storage
