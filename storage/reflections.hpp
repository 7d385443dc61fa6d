#pragma once
// End-of-cycle reflections with a self-score per key result. The latest one is what the next
// `draft` brings back ("last cycle you said you would stop ...").
#include <optional>

#include "dialogs/domain.hpp"

namespace okr::storage {

class Database;

class Reflections {
 public:
  explicit Reflections(Database& db) : db_(db) {}

  // Inserts the reflection and its scores; cycle_id 0 is stored as "no cycle".
  dialogs::Reflection add(dialogs::Reflection reflection);
  std::optional<dialogs::Reflection> latest(dialogs::Id person_id);

 private:
  Database& db_;
};

}  // namespace okr::storage
