#include "storage/scheduling_schema.hpp"

namespace okr::storage {

const char* scheduling_schema_sql() {
  // person_id NULL = everyone the kind addresses in the team; team_id NULL = personal.
  // recurrence is the text form of dialogs/recurrence.hpp ("weekly mon 09:00", …).
  // next_due_at is NULL once a schedule will never fire again; the partial index keeps the
  // scheduler's "what is due" and "when next" queries to the active rows.
  return R"sql(
CREATE TABLE schedules (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('checkin', 'reminder', 'reflect', 'digest')),
  person_id     INTEGER REFERENCES people(id) ON DELETE CASCADE,
  team_id       INTEGER REFERENCES teams(id) ON DELETE CASCADE,
  channel       TEXT NOT NULL DEFAULT '',
  recurrence    TEXT NOT NULL CHECK (recurrence <> ''),
  time_zone     TEXT NOT NULL DEFAULT 'UTC',
  dialog        TEXT NOT NULL DEFAULT '',
  team_default  INTEGER NOT NULL DEFAULT 0 CHECK (team_default IN (0, 1)),
  next_due_at   INTEGER,
  created_by    INTEGER REFERENCES people(id) ON DELETE SET NULL,
  created_at    INTEGER NOT NULL,
  last_fired_at INTEGER,
  state         TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'finished', 'stopped')),
  CHECK (person_id IS NOT NULL OR team_id IS NOT NULL)
);
CREATE INDEX schedules_due ON schedules(next_due_at) WHERE state = 'active';
CREATE INDEX schedules_by_person ON schedules(person_id);
CREATE INDEX schedules_by_team ON schedules(team_id);
)sql";
}

}  // namespace okr::storage
