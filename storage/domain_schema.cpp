#include "storage/domain_schema.hpp"

namespace okr::storage {

const char* domain_schema_sql() {
  return R"sql(
CREATE TABLE people (
  id           INTEGER PRIMARY KEY,
  platform     TEXT NOT NULL CHECK (platform <> ''),
  workspace    TEXT NOT NULL,
  user_ref     TEXT NOT NULL CHECK (user_ref <> ''),
  display_name TEXT NOT NULL DEFAULT '',
  time_zone    TEXT NOT NULL DEFAULT 'UTC',
  created_at   INTEGER NOT NULL DEFAULT (unixepoch()),
  UNIQUE (platform, workspace, user_ref)
);

CREATE TABLE teams (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE CHECK (name <> ''),
  settings   TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
);

CREATE TABLE memberships (
  team_id   INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  role      TEXT NOT NULL CHECK (role IN ('member', 'coach', 'manager', 'admin')),
  PRIMARY KEY (team_id, person_id, role)
);
CREATE INDEX memberships_by_person ON memberships(person_id);

-- team_id is NULL for the personal cycle of someone who belongs to no team.
CREATE TABLE cycles (
  id        INTEGER PRIMARY KEY,
  team_id   INTEGER REFERENCES teams(id) ON DELETE CASCADE,
  label     TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at   INTEGER NOT NULL CHECK (ends_at > starts_at)
);
CREATE UNIQUE INDEX cycles_by_team_start ON cycles(coalesce(team_id, 0), starts_at);

CREATE TABLE objectives (
  id         INTEGER PRIMARY KEY,
  person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  team_id    INTEGER REFERENCES teams(id) ON DELETE SET NULL,
  cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
  text       TEXT NOT NULL CHECK (text <> ''),
  why        TEXT NOT NULL DEFAULT '',
  obstacles  TEXT NOT NULL DEFAULT '',
  support    TEXT NOT NULL DEFAULT '',
  parent     TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX objectives_by_person_cycle ON objectives(person_id, cycle_id);
CREATE INDEX objectives_by_team_cycle ON objectives(team_id, cycle_id);

CREATE TABLE key_results (
  id           INTEGER PRIMARY KEY,
  objective_id INTEGER NOT NULL REFERENCES objectives(id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  text         TEXT NOT NULL CHECK (text <> ''),
  kind         TEXT NOT NULL CHECK (kind IN ('metric', 'baseline', 'milestone')),
  baseline     REAL,
  target       REAL,
  unit         TEXT NOT NULL DEFAULT '',
  direction    TEXT NOT NULL CHECK (direction IN ('increase', 'decrease')),
  current      REAL,
  deadline     TEXT,
  UNIQUE (objective_id, position)
);

CREATE TABLE check_ins (
  id            INTEGER PRIMARY KEY,
  key_result_id INTEGER NOT NULL REFERENCES key_results(id) ON DELETE CASCADE,
  person_id     INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  value         REAL NOT NULL,
  confidence    INTEGER NOT NULL CHECK (confidence BETWEEN 1 AND 10),
  helped        TEXT NOT NULL DEFAULT '',
  blockers      TEXT NOT NULL DEFAULT '',
  next_focus    TEXT NOT NULL DEFAULT '',
  at            INTEGER NOT NULL
);
CREATE INDEX check_ins_by_key_result ON check_ins(key_result_id, at);
CREATE INDEX check_ins_by_person ON check_ins(person_id, at);

CREATE TABLE reflections (
  id                INTEGER PRIMARY KEY,
  person_id         INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  cycle_id          INTEGER REFERENCES cycles(id),
  learned           TEXT NOT NULL DEFAULT '',
  went_well         TEXT NOT NULL DEFAULT '',
  do_differently    TEXT NOT NULL DEFAULT '',
  stop_habit        TEXT NOT NULL DEFAULT '',
  carry_forward     TEXT NOT NULL DEFAULT '',
  shared_with_coach INTEGER NOT NULL DEFAULT 0,
  at                INTEGER NOT NULL
);
CREATE INDEX reflections_by_person ON reflections(person_id, at);

CREATE TABLE reflection_scores (
  reflection_id INTEGER NOT NULL REFERENCES reflections(id) ON DELETE CASCADE,
  key_result_id INTEGER NOT NULL REFERENCES key_results(id) ON DELETE CASCADE,
  score         REAL NOT NULL CHECK (score >= 0 AND score <= 1),
  PRIMARY KEY (reflection_id, key_result_id)
);

-- At most one unfinished dialog per person and conversation; a finished dialog's row is
-- deleted in the same transaction that saves its effects.
CREATE TABLE dialog_instances (
  person_id          INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  conversation       TEXT NOT NULL,
  dialog             TEXT NOT NULL,
  definition_version INTEGER NOT NULL,
  state              TEXT NOT NULL,
  updated_at         INTEGER NOT NULL,
  PRIMARY KEY (person_id, conversation)
);
)sql";
}

}  // namespace okr::storage
