#pragma once
// The unfinished dialog of each (person, conversation): its state as the engine serialised it
// (JSON text) and the definition version it was written against, so a changed definition can
// be detected on resume. Storage does not interpret the state.
#include <optional>
#include <string>

#include "dialogs/domain.hpp"

namespace okr::storage {

class Database;

struct StoredDialog {
  std::string dialog;            // definition id, e.g. "draft"
  int definition_version = 0;
  std::string state;             // JSON text
  dialogs::TimePoint updated_at{};
};

class DialogInstances {
 public:
  explicit DialogInstances(Database& db) : db_(db) {}

  std::optional<StoredDialog> active(dialogs::Id person_id, const std::string& conversation);
  // Replaces whatever dialog was active in that conversation.
  void save(dialogs::Id person_id, const std::string& conversation, const StoredDialog& dialog);
  // No-op when none is active.
  void finish(dialogs::Id person_id, const std::string& conversation);

 private:
  Database& db_;
};

}  // namespace okr::storage
