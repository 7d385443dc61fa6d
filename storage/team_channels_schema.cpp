#include "storage/team_channels_schema.hpp"

namespace okr::storage {

const char* team_channels_schema_sql() {
  // A channel belongs to at most one team (the primary key), a team may be bound to several
  // channels. members_due_at is when the channel's membership is read again (daily), pushed on
  // after a failed read so an unreachable platform is not asked on every scheduler pass.
  // team_setup_questions holds the one question of the setup conversation a person still owes an
  // answer to (managers, then coaches); it is gone once answered. reflection_shares records each
  // coach a reflection was shared with, so sharing twice sends nothing twice.
  return R"sql(
CREATE TABLE team_channels (
  platform       TEXT NOT NULL CHECK (platform <> ''),
  workspace      TEXT NOT NULL,
  channel        TEXT NOT NULL CHECK (channel <> ''),
  team_id        INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  bound_by       INTEGER REFERENCES people(id) ON DELETE SET NULL,
  bound_at       INTEGER NOT NULL,
  members_due_at INTEGER NOT NULL,
  PRIMARY KEY (platform, workspace, channel)
);
CREATE INDEX team_channels_by_team ON team_channels (team_id);
CREATE INDEX team_channels_by_due ON team_channels (members_due_at);

CREATE TABLE team_setup_questions (
  person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
  team_id   INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  question  TEXT NOT NULL CHECK (question IN ('managers', 'coaches')),
  asked_at  INTEGER NOT NULL
);

CREATE TABLE reflection_shares (
  reflection_id INTEGER NOT NULL REFERENCES reflections(id) ON DELETE CASCADE,
  coach_id      INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  shared_at     INTEGER NOT NULL,
  PRIMARY KEY (reflection_id, coach_id)
);
CREATE INDEX reflection_shares_by_coach ON reflection_shares (coach_id);
)sql";
}

}  // namespace okr::storage
