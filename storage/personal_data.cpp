#include "storage/personal_data.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <ctime>
#include <optional>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/write_scope.hpp"

namespace okr::storage {
namespace {

// Export and forget-me run rarely and build their SQL by concatenation, so they prepare plain
// statements instead of filling the connection's statement cache with text used once.
using nlohmann::json;

// The export's column conventions, so each query below is only its SELECT: `at` and `*_at`
// columns are instants, these hold JSON text, these are yes/no.
const std::set<std::string, std::less<>> kJsonColumns = {"state", "message", "settings"};
const std::set<std::string, std::less<>> kFlagColumns = {"shared_with_coach", "team_default"};

bool is_instant(std::string_view column) {
  return column == "at" || (column.size() > 3 && column.substr(column.size() - 3) == "_at");
}

std::string iso_utc(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm parts{};
  gmtime_r(&t, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

json value_of(const SQLite::Column& column) {
  const std::string_view name = column.getName();
  if (column.isNull())
    return nullptr;
  if (column.isInteger()) {
    if (is_instant(name))
      return iso_utc(column.getInt64());
    if (kFlagColumns.count(name))
      return column.getInt64() != 0;
    return column.getInt64();
  }
  if (column.isFloat())
    return column.getDouble();
  const auto text = column.getString();
  if (kJsonColumns.count(name)) {
    auto parsed = json::parse(text, nullptr, false);
    return parsed.is_discarded() ? json(text) : parsed;
  }
  return text;
}

// The rows of a prepared query as objects named by their columns.
json rows_of(SQLite::Statement& query) {
  json out = json::array();
  while (query.executeStep()) {
    json row = json::object();
    for (int i = 0; i < query.getColumnCount(); ++i) {
      const auto column = query.getColumn(i);
      row[column.getName()] = value_of(column);
    }
    out.push_back(std::move(row));
  }
  return out;
}

struct Identity {
  dialogs::Id id = 0;
  std::string platform;
  std::string workspace;
  std::string user_ref;
};

std::optional<Identity> identity_of(SQLite::Database& db, dialogs::Id person_id) {
  SQLite::Statement q(db, "SELECT platform, workspace, user_ref FROM people WHERE id = ?");
  q.bind(1, person_id);
  if (!q.executeStep())
    return std::nullopt;
  return Identity{person_id, q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString()};
}

// Binds the named parameters the queries below share (unused names are simply not bound).
void bind_identity(SQLite::Statement& q, const Identity& who) {
  auto bind_if_used = [&q](const char* name, const auto& value) {
    if (const int index = q.getIndex(name); index > 0)
      q.bind(index, value);
  };
  bind_if_used(":id", who.id);
  bind_if_used(":platform", who.platform);
  bind_if_used(":workspace", who.workspace);
  bind_if_used(":user", who.user_ref);
}

json query(SQLite::Database& db, const Identity& who, const std::string& sql) {
  SQLite::Statement q(db, sql);
  bind_identity(q, who);
  return rows_of(q);
}

int change(SQLite::Database& db, const Identity& who, const std::string& sql) {
  SQLite::Statement q(db, sql);
  bind_identity(q, who);
  return q.exec();
}

// Their inbound messages are the inbox entries they sent; their private conversations are the
// ones where they, and nobody else, wrote to the coach (a DM, their web page, a Teams 1:1) or
// where a dialog of theirs runs. A shared channel's messages belong to everyone in it.
const std::string kTheirInbox =
    "inbox.platform = :platform AND inbox.workspace = :workspace AND json_valid(inbox.payload) AND "
    "json_extract(inbox.payload, '$.user') = :user";
const std::string kPrivateConversations =
    "WITH mine AS (SELECT conversation FROM inbox WHERE " + kTheirInbox +
    " UNION SELECT conversation FROM dialog_instances WHERE person_id = :id), "
    "shared AS (SELECT conversation FROM inbox WHERE inbox.platform = :platform AND inbox.workspace = :workspace "
    "AND json_valid(inbox.payload) AND coalesce(json_extract(inbox.payload, '$.user'), '') <> :user) ";
const std::string kTheirOutbox =
    "outbox.platform = :platform AND outbox.workspace = :workspace AND "
    "((outbox.conversation IN mine AND outbox.conversation NOT IN shared) OR "
    "(json_valid(outbox.payload) AND json_extract(outbox.payload, '$.user') = :user))";

json messages_of(SQLite::Database& db, const Identity& who) {
  json out = json::object();
  out["from_you"] = query(db, who,
                          "SELECT received_at AS at, conversation, json_extract(payload, '$.text') AS text, "
                          "json_extract(payload, '$.action') AS action FROM inbox WHERE " +
                              kTheirInbox + " ORDER BY id");
  for (auto& row : out["from_you"])
    if (row["action"].is_string())
      row["action"] = json::parse(row["action"].get<std::string>(), nullptr, false);
  out["to_you"] = query(db, who,
                        kPrivateConversations +
                            "SELECT created_at AS at, conversation, status, sent_at, "
                            "json_extract(payload, '$.message') AS message FROM outbox WHERE " +
                            kTheirOutbox + " ORDER BY id");
  out["web_page"] = query(db, who,
                          "SELECT created_at AS at, author, message FROM web_messages "
                          "WHERE :platform = 'web' AND workspace = :workspace AND person_ref = :user ORDER BY id");
  return out;
}

}  // namespace

bool ForgetSummary::anything() const {
  return objectives_anonymised + objectives_deleted + check_ins_anonymised + reflections_deleted + messages_deleted +
             schedules_deleted >
         0;
}

json export_personal_data(Database& database, dialogs::Id person_id, dialogs::TimePoint now) {
  return guarded("exporting the data of person " + std::to_string(person_id), [&] {
    auto& db = database.handle();
    const auto who = identity_of(db, person_id);
    if (!who)
      throw StorageError(StorageError::Code::not_found, "no person " + std::to_string(person_id));
    json doc = json::object();
    doc["format"] = "okr-coach-personal-data";
    doc["version"] = 1;
    doc["exported_at"] = iso_utc(to_unix(now));
    doc["person"] = query(db, *who,
                          "SELECT platform, workspace, user_ref AS user, display_name, time_zone, created_at "
                          "FROM people WHERE id = :id")
                        .at(0);
    doc["teams"] = query(db, *who,
                         "SELECT t.name AS team, m.role, m.joined_at FROM memberships m JOIN teams t ON t.id = m.team_id "
                         "WHERE m.person_id = :id ORDER BY t.name, m.role");
    auto objectives = query(db, *who,
                            "SELECT o.id, t.name AS team, c.label AS cycle, c.starts_at AS cycle_starts_at, "
                            "c.ends_at AS cycle_ends_at, o.text, o.why, o.obstacles, o.support, o.parent, o.created_at "
                            "FROM objectives o JOIN cycles c ON c.id = o.cycle_id LEFT JOIN teams t ON t.id = o.team_id "
                            "WHERE o.person_id = :id ORDER BY o.id");
    SQLite::Statement key_results(db,
                                  "SELECT id, position, text, kind, baseline, target, unit, direction, current, deadline "
                                  "FROM key_results WHERE objective_id = ? ORDER BY position");
    for (auto& objective : objectives) {
      key_results.reset();
      key_results.bind(1, objective["id"].get<std::int64_t>());
      objective["key_results"] = rows_of(key_results);
    }
    doc["objectives"] = std::move(objectives);
    doc["check_ins"] = query(db, *who,
                             "SELECT id, key_result_id, value, confidence, helped, blockers, next_focus, at "
                             "FROM check_ins WHERE person_id = :id ORDER BY at, id");
    auto reflections = query(db, *who,
                             "SELECT r.id, c.label AS cycle, r.learned, r.went_well, r.do_differently, r.stop_habit, "
                             "r.carry_forward, r.shared_with_coach, r.at FROM reflections r "
                             "LEFT JOIN cycles c ON c.id = r.cycle_id WHERE r.person_id = :id ORDER BY r.at, r.id");
    SQLite::Statement scores(db,
                             "SELECT key_result_id, score FROM reflection_scores WHERE reflection_id = ? "
                             "ORDER BY key_result_id");
    for (auto& reflection : reflections) {
      scores.reset();
      scores.bind(1, reflection["id"].get<std::int64_t>());
      reflection["scores"] = rows_of(scores);
    }
    doc["reflections"] = std::move(reflections);
    doc["schedules"] = query(db, *who,
                             "SELECT s.id, s.kind, t.name AS team, CASE WHEN s.person_id = :id THEN 'you' "
                             "WHEN s.person_id IS NULL THEN 'team' ELSE 'someone else' END AS reaches, "
                             "s.recurrence, s.time_zone, s.dialog, s.team_default, s.state, s.next_due_at, "
                             "s.last_fired_at, s.created_at FROM schedules s LEFT JOIN teams t ON t.id = s.team_id "
                             "WHERE s.person_id = :id OR s.created_by = :id ORDER BY s.id");
    doc["dialogs_in_progress"] = query(db, *who,
                                       "SELECT conversation, dialog, definition_version, state, updated_at "
                                       "FROM dialog_instances WHERE person_id = :id ORDER BY updated_at");
    doc["messages"] = messages_of(db, *who);
    return doc;
  });
}

ForgetSummary forget_person(Database& database, dialogs::Id person_id) {
  return guarded("forgetting person " + std::to_string(person_id), [&] {
    auto& db = database.handle();
    // Deleted rows are overwritten, not left readable in free pages of the file. The setting
    // belongs to the connection, and costs little elsewhere, so it stays on.
    db.exec("PRAGMA secure_delete = ON");
    WriteScope scope(db);
    ForgetSummary summary;
    const auto found = identity_of(db, person_id);
    if (!found)
      return summary;
    const auto& who = *found;

    // Messages first: finding their private conversations needs their inbox entries and
    // dialog instances, which go next.
    summary.messages_deleted += change(db, who, kPrivateConversations + "DELETE FROM outbox WHERE " + kTheirOutbox);
    summary.messages_deleted +=
        change(db, who, "DELETE FROM inbox WHERE status <> 'pending' AND " + kTheirInbox);
    // A pending entry is the request being answered right now (or one that will never be):
    // keep the row, without content, so the turn can still mark it done.
    change(db, who,
           "DELETE FROM inbox_replies WHERE inbox_id IN (SELECT id FROM inbox WHERE " + kTheirInbox + ")");
    change(db, who,
           "UPDATE inbox SET payload = '{}', conversation = '', last_error = '', status = 'done', "
           "done_at = coalesce(done_at, unixepoch()) WHERE " +
               kTheirInbox);
    summary.messages_deleted += change(db, who,
                                       "DELETE FROM web_messages WHERE :platform = 'web' AND workspace = :workspace "
                                       "AND person_ref = :user");
    change(db, who,
           "DELETE FROM teams_conversations WHERE :platform = 'teams' AND tenant_id = :workspace AND user_id = :user");
    change(db, who, "DELETE FROM dialog_instances WHERE person_id = :id");

    summary.reflections_deleted = change(db, who, "DELETE FROM reflections WHERE person_id = :id");
    summary.schedules_deleted = change(db, who, "DELETE FROM schedules WHERE person_id = :id");
    change(db, who, "UPDATE schedules SET created_by = NULL WHERE created_by = :id");
    change(db, who, "DELETE FROM memberships WHERE person_id = :id");
    summary.objectives_deleted = change(db, who, "DELETE FROM objectives WHERE person_id = :id AND team_id IS NULL");

    // What the team's digest history is computed from stays, without a word of theirs.
    change(db, who,
           "UPDATE key_results SET text = 'Key result ' || position WHERE objective_id IN "
           "(SELECT id FROM objectives WHERE person_id = :id)");
    summary.objectives_anonymised = change(db, who,
                                           "UPDATE objectives SET text = 'An objective of a former member', why = '', "
                                           "obstacles = '', support = '', parent = '' WHERE person_id = :id "
                                           "AND (text <> 'An objective of a former member' OR why <> '' OR "
                                           "obstacles <> '' OR support <> '' OR parent <> '')");
    summary.check_ins_anonymised = change(db, who,
                                          "UPDATE check_ins SET helped = '', blockers = '', next_focus = '' "
                                          "WHERE person_id = :id AND (helped <> '' OR blockers <> '' OR next_focus <> '')");
    SQLite::Statement kept(db,
                           "SELECT EXISTS (SELECT 1 FROM objectives WHERE person_id = ?1) OR "
                           "EXISTS (SELECT 1 FROM check_ins WHERE person_id = ?1)");
    kept.bind(1, person_id);
    kept.executeStep();
    const bool keeps_history = kept.getColumn(0).getInt() != 0;
    kept.reset();
    if (keeps_history) {
      // An identity no platform user has: the same user writing again is a new person.
      change(db, who,
             "UPDATE people SET user_ref = 'forgotten-' || id, display_name = 'a former member', time_zone = 'UTC', "
             "workspace = '' WHERE id = :id");
    } else {
      change(db, who, "DELETE FROM people WHERE id = :id");
    }
    scope.commit();
    return summary;
  });
}

}  // namespace okr::storage
