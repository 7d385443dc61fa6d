#pragma once
// One person's data rights (docs/data-rights.md): everything stored about them as one JSON
// document (`/okr export`), and forgetting them (`/okr forget-me`). Every statement that reads
// or deletes a person's data for these lives here, so "what is theirs" is decided in one place.
#include <nlohmann/json_fwd.hpp>

#include "dialogs/domain.hpp"

namespace okr::storage {

class Database;

// The export document, format version 1 (docs/data-rights.md lists every field): profile,
// team roles, objectives with key results, check-ins, reflections with scores, schedules for
// or set up by them, dialogs in progress, and the messages of their private conversations.
// Timestamps are ISO 8601 UTC strings. Throws StorageError{not_found} for an unknown person.
nlohmann::json export_personal_data(Database& db, dialogs::Id person_id, dialogs::TimePoint now);

struct ForgetSummary {
  int objectives_anonymised = 0;  // team objectives kept (no words, no name) for the digest
  int objectives_deleted = 0;     // personal objectives (no team) removed with everything on them
  int check_ins_anonymised = 0;   // numbers kept on team key results, their words removed
  int reflections_deleted = 0;
  int messages_deleted = 0;       // inbox, outbox and web page rows
  int schedules_deleted = 0;
  bool anything() const;
};

// Forgets the person: deletes their reflections, dialog state, their own schedules, memberships,
// stored messages (inbox entries, the coach's messages to their private conversations, the web
// page log, Teams conversation references) and personal objectives. What a team's digest
// history is computed from stays but says nothing about them: their team objectives and key
// results lose their words, their check-ins keep only value, confidence and time, and the
// person row becomes "a former member" with an identity that no platform user has, so the same
// user writing again starts afresh. The unfinished inbox entry of the request itself is kept
// without its content, so it can still be marked done.
//
// Joins the caller's transaction (a turn's command) or runs in its own. Deleted content is
// overwritten on disk (PRAGMA secure_delete) rather than left in free pages; old page images
// can survive in the WAL file until the next checkpoint. Idempotent: a second call finds
// nothing left and returns an empty summary.
ForgetSummary forget_person(Database& db, dialogs::Id person_id);

}  // namespace okr::storage
