#include "storage/codec.hpp"

#include "storage/database.hpp"

namespace okr::storage {
namespace {

[[noreturn]] void unknown(std::string_view what, std::string_view name) {
  throw StorageError(StorageError::Code::query_failed,
                     "stored " + std::string(what) + " '" + std::string(name) + "' is not one this binary knows");
}

}  // namespace

std::string role_name(dialogs::Role role) {
  switch (role) {
    case dialogs::Role::member: return "member";
    case dialogs::Role::coach: return "coach";
    case dialogs::Role::manager: return "manager";
    case dialogs::Role::admin: return "admin";
  }
  return "member";
}

dialogs::Role role_from_name(std::string_view name) {
  if (name == "member") return dialogs::Role::member;
  if (name == "coach") return dialogs::Role::coach;
  if (name == "manager") return dialogs::Role::manager;
  if (name == "admin") return dialogs::Role::admin;
  unknown("role", name);
}

std::string kind_name(dialogs::KeyResultKind kind) {
  switch (kind) {
    case dialogs::KeyResultKind::metric: return "metric";
    case dialogs::KeyResultKind::baseline: return "baseline";
    case dialogs::KeyResultKind::milestone: return "milestone";
  }
  return "metric";
}

dialogs::KeyResultKind kind_from_name(std::string_view name) {
  if (name == "metric") return dialogs::KeyResultKind::metric;
  if (name == "baseline") return dialogs::KeyResultKind::baseline;
  if (name == "milestone") return dialogs::KeyResultKind::milestone;
  unknown("key result kind", name);
}

std::string direction_name(dialogs::Direction direction) {
  return direction == dialogs::Direction::decrease ? "decrease" : "increase";
}

dialogs::Direction direction_from_name(std::string_view name) {
  if (name == "increase") return dialogs::Direction::increase;
  if (name == "decrease") return dialogs::Direction::decrease;
  unknown("direction", name);
}

}  // namespace okr::storage
