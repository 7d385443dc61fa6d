// sync_default_schedules (storage/schedules.hpp): the team's program settings and members
// turned into schedules, and the stored defaults brought in line with them.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <utility>

#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"
#include "storage/memberships.hpp"
#include "storage/schedules.hpp"
#include "storage/teams.hpp"
#include "storage/write_scope.hpp"

namespace okr::storage {
namespace {

constexpr int kMinutesPerWeek = 7 * 24 * 60;

// "mon" + "09:00" as a weekly recurrence; settings that do not read fall back to the defaults
// rather than leaving the team without nudges.
dialogs::Weekly weekly_of(const std::string& weekday, const std::string& time,
                          const std::string& fallback_weekday, const std::string& fallback_time) {
  auto parsed = dialogs::parse_recurrence("weekly " + weekday + " " + time);
  if (!parsed)
    parsed = dialogs::parse_recurrence("weekly " + fallback_weekday + " " + fallback_time);
  return std::get<dialogs::Weekly>(*parsed);
}

// The same wall-clock moment `hours` later in the week (mon 09:00 + 24 h = tue 09:00).
dialogs::Weekly later_by(const dialogs::Weekly& weekly, int hours) {
  dialogs::Weekly out;
  const int shift = hours * 60;
  int minute_of_day = 0;
  for (const auto day : weekly.weekdays) {
    const int start = static_cast<int>(day) * 24 * 60 + weekly.time.hour * 60 + weekly.time.minute;
    const int moved = ((start + shift) % kMinutesPerWeek + kMinutesPerWeek) % kMinutesPerWeek;
    out.weekdays.push_back(static_cast<unsigned>(moved / (24 * 60)));
    minute_of_day = moved % (24 * 60);
  }
  out.time = {minute_of_day / 60, minute_of_day % 60};
  std::sort(out.weekdays.begin(), out.weekdays.end());
  return out;
}

using Key = std::pair<dialogs::ScheduleKind, dialogs::Id>;

std::vector<dialogs::Schedule> wanted(const dialogs::Team& team,
                                      const std::vector<Member>& members) {
  const auto& settings = team.settings;
  const std::string team_zone =
      dialogs::is_time_zone(settings.time_zone) ? settings.time_zone : std::string("UTC");
  const auto checkin = weekly_of(settings.checkin_weekday, settings.checkin_time, "mon", "09:00");
  const auto digest = weekly_of(settings.digest_weekday, settings.digest_time, "fri", "16:00");

  std::vector<dialogs::Schedule> out;
  auto base = [&](dialogs::ScheduleKind kind, dialogs::Id person_id, dialogs::Recurrence r,
                  std::string zone) {
    dialogs::Schedule s;
    s.kind = kind;
    s.person_id = person_id;
    s.team_id = team.id;
    s.recurrence = std::move(r);
    s.time_zone = std::move(zone);
    s.team_default = true;
    return s;
  };
  for (const auto& member : members) {
    if (std::find(member.roles.begin(), member.roles.end(), dialogs::Role::member) ==
        member.roles.end())
      continue;
    // Each person is nudged at the program's local time in their own zone.
    const std::string zone =
        dialogs::is_time_zone(member.person.time_zone) ? member.person.time_zone : team_zone;
    out.push_back(base(dialogs::ScheduleKind::checkin, member.person.id, checkin, zone));
    if (settings.reminder_hours > 0)
      out.push_back(base(dialogs::ScheduleKind::reminder, member.person.id,
                         later_by(checkin, settings.reminder_hours), zone));
  }
  out.push_back(base(dialogs::ScheduleKind::digest, 0, digest, team_zone));
  out.push_back(base(dialogs::ScheduleKind::reflect, 0, dialogs::AtCycleEnd{}, team_zone));
  return out;
}

}  // namespace

void sync_default_schedules(Database& db, dialogs::Id team_id, dialogs::TimePoint now) {
  guarded("syncing the default schedules of team " + std::to_string(team_id), [&] {
    WriteScope scope(db.handle());
    const auto team = Teams(db).by_id(team_id);
    if (!team)
      return;  // its schedules went with it (ON DELETE CASCADE)
    Schedules schedules(db);
    std::map<Key, dialogs::Schedule> stored;
    std::vector<dialogs::Id> obsolete;
    for (auto& s : schedules.of_team(team_id)) {
      if (!s.team_default)
        continue;
      const Key key{s.kind, s.person_id};
      if (stored.count(key) != 0)
        obsolete.push_back(s.id);  // a duplicate: keep the first
      else
        stored.emplace(key, std::move(s));
    }

    auto change = db.statement("UPDATE schedules SET recurrence = ?, time_zone = ?, next_due_at = ? "
                             "WHERE id = ?");
    for (auto& want : wanted(*team, Memberships(db).members(team_id))) {
      const Key key{want.kind, want.person_id};
      const auto found = stored.find(key);
      if (found == stored.end()) {
        schedules.add(want, now);
        continue;
      }
      const auto& have = found->second;
      const bool same =
          dialogs::recurrence_text(have.recurrence) == dialogs::recurrence_text(want.recurrence) &&
          have.time_zone == want.time_zone;
      if (!same) {
        std::optional<dialogs::TimePoint> next;
        if (have.state == dialogs::Schedule::State::active)
          next = next_due_after(want, now, team->settings.cycle_months);
        change.reset();
        change.clearBindings();
        change.bind(1, dialogs::recurrence_text(want.recurrence));
        change.bind(2, want.time_zone);
        if (next)
          change.bind(3, static_cast<std::int64_t>(to_unix(*next)));
        else
          change.bind(3);
        change.bind(4, have.id);
        change.exec();
      }
      stored.erase(found);
    }
    for (const auto& [key, left] : stored)
      obsolete.push_back(left.id);  // a member who left, or reminders switched off
    auto drop = db.statement("DELETE FROM schedules WHERE id = ?");
    for (const auto id : obsolete) {
      drop.reset();
      drop.clearBindings();
      drop.bind(1, id);
      drop.exec();
    }
    scope.commit();
  });
}

void sync_default_schedules(Database& db, dialogs::Id team_id) {
  sync_default_schedules(
      db, team_id,
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
}

void sync_all_default_schedules(Database& db, dialogs::TimePoint now) {
  const auto ids = guarded("listing teams", [&] {
    std::vector<dialogs::Id> out;
    auto q = db.statement("SELECT id FROM teams ORDER BY id");
    while (q.executeStep())
      out.push_back(q.getColumn(0).getInt64());
    return out;
  });
  for (const auto id : ids)
    sync_default_schedules(db, id, now);
}

}  // namespace okr::storage
