#include "storage/rows.hpp"

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include "storage/codec.hpp"

namespace okr::storage {

dialogs::Person read_person(SQLite::Statement& q, int first) {
  dialogs::Person p;
  p.id = q.getColumn(first).getInt64();
  p.platform = q.getColumn(first + 1).getString();
  p.workspace = q.getColumn(first + 2).getString();
  p.user_ref = q.getColumn(first + 3).getString();
  p.display_name = q.getColumn(first + 4).getString();
  p.time_zone = q.getColumn(first + 5).getString();
  return p;
}

dialogs::KeyResult read_key_result(SQLite::Statement& q, int first) {
  dialogs::KeyResult kr;
  kr.id = q.getColumn(first).getInt64();
  kr.objective_id = q.getColumn(first + 1).getInt64();
  kr.position = q.getColumn(first + 2).getInt();
  kr.text = q.getColumn(first + 3).getString();
  kr.kind = kind_from_name(q.getColumn(first + 4).getString());
  kr.baseline = optional_double(q.getColumn(first + 5));
  kr.target = optional_double(q.getColumn(first + 6));
  kr.unit = q.getColumn(first + 7).getString();
  kr.direction = direction_from_name(q.getColumn(first + 8).getString());
  kr.current = optional_double(q.getColumn(first + 9));
  if (!q.getColumn(first + 10).isNull())
    kr.deadline = q.getColumn(first + 10).getString();
  return kr;
}

std::optional<double> optional_double(const SQLite::Column& column) {
  return column.isNull() ? std::nullopt : std::optional(column.getDouble());
}

}  // namespace okr::storage
