#include "storage/codec.hpp"

#include "dialogs/domain_names.hpp"
#include "storage/database.hpp"

namespace okr::storage {
namespace {

// A stored name this binary does not know means the file was written by something else: say
// so rather than guess.
template <typename T>
T known(std::optional<T> value, std::string_view what, std::string_view name) {
  if (!value) {
    throw StorageError(StorageError::Code::query_failed, "stored " + std::string(what) + " '" +
                                                             std::string(name) +
                                                             "' is not one this binary knows");
  }
  return *value;
}

}  // namespace

std::string role_name(dialogs::Role role) { return std::string(dialogs::to_string(role)); }

dialogs::Role role_from_name(std::string_view name) {
  return known(dialogs::role_from(name), "role", name);
}

std::string kind_name(dialogs::KeyResultKind kind) { return std::string(dialogs::to_string(kind)); }

dialogs::KeyResultKind kind_from_name(std::string_view name) {
  return known(dialogs::key_result_kind_from(name), "key result kind", name);
}

std::string direction_name(dialogs::Direction direction) {
  return std::string(dialogs::to_string(direction));
}

dialogs::Direction direction_from_name(std::string_view name) {
  return known(dialogs::direction_from(name), "direction", name);
}

}  // namespace okr::storage
