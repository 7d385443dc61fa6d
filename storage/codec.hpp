#pragma once
// Inside storage/ only: how domain values are written to columns. Timestamps are unix seconds
// (UTC); enums are their lower-case names, matching the CHECK constraints of the schema.
#include <cstdint>
#include <string>
#include <string_view>

#include "dialogs/domain.hpp"

namespace okr::storage {

inline std::int64_t to_unix(dialogs::TimePoint t) { return t.time_since_epoch().count(); }
inline dialogs::TimePoint from_unix(std::int64_t s) { return dialogs::TimePoint{std::chrono::seconds{s}}; }

std::string role_name(dialogs::Role role);
dialogs::Role role_from_name(std::string_view name);  // StorageError{query_failed} when unknown
std::string kind_name(dialogs::KeyResultKind kind);
dialogs::KeyResultKind kind_from_name(std::string_view name);
std::string direction_name(dialogs::Direction direction);
dialogs::Direction direction_from_name(std::string_view name);

}  // namespace okr::storage
