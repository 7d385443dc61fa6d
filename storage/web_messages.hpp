#pragma once
// The web page's conversation log: per web person, everything they said and everything the
// coach answered, in order. The page reads it by id ("everything after the last one I have"),
// so a reload shows the conversation again and nothing is lost between polls.
#include <cstddef>
#include <string>
#include <vector>

#include "dialogs/domain.hpp"
#include "dialogs/message.hpp"

namespace okr::storage {

class Database;

enum class WebAuthor { person, coach };

struct WebMessage {
  dialogs::Id id = 0;
  WebAuthor author = WebAuthor::coach;
  dialogs::Outbound message;  // a person's entry carries only text
  dialogs::TimePoint at{};
};

class WebMessages {
 public:
  explicit WebMessages(Database& db) : db_(db) {}

  // Appends one entry to the log of (workspace, person_ref). `source_key` (empty = none) makes
  // it idempotent: an entry with the same key already logged is not added again, and its id is
  // returned. Joins the caller's transaction when one is open.
  dialogs::Id append(const std::string& workspace, const std::string& person_ref,
                     WebAuthor author, const dialogs::Outbound& message,
                     const std::string& source_key, dialogs::TimePoint at);

  // Entries with an id greater than `after_id`, oldest first, at most `limit`.
  std::vector<WebMessage> after(const std::string& workspace, const std::string& person_ref,
                                dialogs::Id after_id, std::size_t limit = 200);

 private:
  Database& db_;
};

}  // namespace okr::storage
