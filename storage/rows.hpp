#pragma once
// Inside storage/ only: one reader per domain row, so a query that joins tables (the digest's)
// reads a person or a key result exactly as the owning table's own queries do. Each reader takes
// the column where its row starts; the columns must come in the order of its k...Columns list.
#include <optional>

#include "dialogs/domain.hpp"

namespace SQLite {
class Column;
class Statement;
}  // namespace SQLite

namespace okr::storage {

inline constexpr const char* kPersonColumns =
    "id, platform, workspace, user_ref, display_name, time_zone";
dialogs::Person read_person(SQLite::Statement& q, int first = 0);

inline constexpr const char* kKeyResultColumns =
    "id, objective_id, position, text, kind, baseline, target, unit, direction, current, deadline";
dialogs::KeyResult read_key_result(SQLite::Statement& q, int first = 0);

std::optional<double> optional_double(const SQLite::Column& column);  // NULL: nullopt

}  // namespace okr::storage
