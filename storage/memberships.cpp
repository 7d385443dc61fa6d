#include "storage/memberships.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"
#include "storage/rows.hpp"
#include "storage/settings_json.hpp"
#include "storage/write_scope.hpp"

namespace okr::storage {
namespace {

std::string pair_name(dialogs::Id team_id, dialogs::Id person_id) {
  return "person " + std::to_string(person_id) + " in team " + std::to_string(team_id);
}

}  // namespace

void Memberships::grant(dialogs::Id team_id, dialogs::Id person_id, dialogs::Role role,
                        std::optional<dialogs::TimePoint> at) {
  guarded("granting role " + role_name(role) + " to " + pair_name(team_id, person_id), [&] {
    auto q = db_.statement("INSERT INTO memberships (team_id, person_id, role, joined_at) "
                        "VALUES (?, ?, ?, coalesce(?, unixepoch())) ON CONFLICT DO NOTHING");
    q.bind(1, team_id);
    q.bind(2, person_id);
    q.bind(3, role_name(role));
    if (at)
      q.bind(4, to_unix(*at));
    else
      q.bind(4);
    q.exec();
  });
}

void Memberships::revoke(dialogs::Id team_id, dialogs::Id person_id, dialogs::Role role) {
  guarded("revoking role " + role_name(role) + " from " + pair_name(team_id, person_id), [&] {
    auto q = db_.statement("DELETE FROM memberships WHERE team_id = ? AND person_id = ? AND role = ?");
    q.bind(1, team_id);
    q.bind(2, person_id);
    q.bind(3, role_name(role));
    q.exec();
  });
}

std::vector<dialogs::Role> Memberships::roles(dialogs::Id team_id, dialogs::Id person_id) {
  return guarded("loading roles of " + pair_name(team_id, person_id), [&] {
    auto q = db_.statement("SELECT role FROM memberships WHERE team_id = ? AND person_id = ?");
    q.bind(1, team_id);
    q.bind(2, person_id);
    std::vector<dialogs::Role> out;
    while (q.executeStep()) out.push_back(role_from_name(q.getColumn(0).getString()));
    std::sort(out.begin(), out.end());
    return out;
  });
}

bool Memberships::holds(dialogs::Id team_id, dialogs::Id person_id, dialogs::Role role) {
  const auto held = roles(team_id, person_id);
  return std::find(held.begin(), held.end(), role) != held.end();
}

std::vector<Member> Memberships::members(dialogs::Id team_id) {
  return guarded("listing members of team " + std::to_string(team_id), [&] {
    auto q = db_.statement("SELECT p.id, p.platform, p.workspace, p.user_ref, p.display_name, p.time_zone, m.role, "
                        "m.joined_at "
                        "FROM memberships m JOIN people p ON p.id = m.person_id "
                        "WHERE m.team_id = ? ORDER BY p.display_name, p.id");
    q.bind(1, team_id);
    std::vector<Member> out;
    while (q.executeStep()) {
      const dialogs::Id id = q.getColumn(0).getInt64();
      if (out.empty() || out.back().person.id != id) {
        Member m;
        m.person = read_person(q);
        out.push_back(std::move(m));
      }
      out.back().roles.push_back(role_from_name(q.getColumn(6).getString()));
      if (!q.getColumn(7).isNull()) {
        const auto joined = from_unix(q.getColumn(7).getInt64());
        auto& current = out.back().joined_at;
        // The earliest role tells when they arrived in the team.
        if (!current || joined < *current)
          current = joined;
      }
    }
    for (auto& m : out) std::sort(m.roles.begin(), m.roles.end());
    return out;
  });
}

std::vector<dialogs::Team> Memberships::teams_of(dialogs::Id person_id) {
  return guarded("listing teams of person " + std::to_string(person_id), [&] {
    auto q = db_.statement("SELECT t.id, t.name, t.settings FROM teams t "
                        "WHERE t.id IN (SELECT team_id FROM memberships WHERE person_id = ?) ORDER BY t.id");
    q.bind(1, person_id);
    std::vector<dialogs::Team> out;
    while (q.executeStep()) {
      dialogs::Team t;
      t.id = q.getColumn(0).getInt64();
      t.name = q.getColumn(1).getString();
      t.settings = settings_from_json(q.getColumn(2).getString());
      out.push_back(std::move(t));
    }
    return out;
  });
}

int Memberships::member_count(dialogs::Id team_id) {
  return guarded("counting members of team " + std::to_string(team_id), [&] {
    auto q = db_.statement("SELECT count(DISTINCT person_id) FROM memberships WHERE team_id = ?");
    q.bind(1, team_id);
    q.executeStep();
    return q.getColumn(0).getInt();
  });
}

bool Memberships::join(dialogs::Id team_id, dialogs::Id person_id, std::optional<dialogs::TimePoint> at) {
  // One transaction, so two people joining an empty team at once cannot both become founders.
  WriteScope scope(db_.handle());
  const bool founder = member_count(team_id) == 0;
  grant(team_id, person_id, dialogs::Role::member, at);
  if (founder) {
    grant(team_id, person_id, dialogs::Role::coach, at);
    grant(team_id, person_id, dialogs::Role::admin, at);
  }
  guarded("joining " + pair_name(team_id, person_id), [&] { scope.commit(); });
  return founder;
}

std::vector<dialogs::Id> Memberships::holders(dialogs::Id team_id, dialogs::Role role) {
  return guarded("listing holders of role " + role_name(role) + " in team " + std::to_string(team_id), [&] {
    auto q = db_.statement("SELECT person_id FROM memberships WHERE team_id = ? AND role = ? ORDER BY person_id");
    q.bind(1, team_id);
    q.bind(2, role_name(role));
    std::vector<dialogs::Id> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
    return out;
  });
}

}  // namespace okr::storage
