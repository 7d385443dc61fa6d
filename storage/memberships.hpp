#pragma once
// Who belongs to which team, and in which roles. A person may hold several roles in a team
// (a coach is often also a member); each (team, person, role) is stored once.
#include <optional>
#include <vector>

#include "dialogs/domain.hpp"

namespace okr::storage {

class Database;

struct Member {
  dialogs::Person person;
  std::vector<dialogs::Role> roles;
  // When the person arrived in the team (their earliest role's stamp); nothing when
  // the membership predates migration 7 and nobody recorded it.
  std::optional<dialogs::TimePoint> joined_at;
};

class Memberships {
 public:
  explicit Memberships(Database& db) : db_(db) {}

  // Idempotent: granting a role already held changes nothing (its joined_at included).
  // `at` stamps joined_at; without it the database's clock does.
  void grant(dialogs::Id team_id, dialogs::Id person_id, dialogs::Role role,
             std::optional<dialogs::TimePoint> at = std::nullopt);
  void revoke(dialogs::Id team_id, dialogs::Id person_id, dialogs::Role role);
  std::vector<dialogs::Role> roles(dialogs::Id team_id, dialogs::Id person_id);
  bool holds(dialogs::Id team_id, dialogs::Id person_id, dialogs::Role role);
  std::vector<Member> members(dialogs::Id team_id);
  // The teams a person belongs to, oldest membership first.
  std::vector<dialogs::Team> teams_of(dialogs::Id person_id);
  int member_count(dialogs::Id team_id);
  // Makes the person a member. The first person to join a team that has nobody yet also
  // becomes its coach and admin, so someone can run `setup` for it; returns true then.
  bool join(dialogs::Id team_id, dialogs::Id person_id, std::optional<dialogs::TimePoint> at = std::nullopt);
  // The people holding `role` in the team (e.g. its admins), by id.
  std::vector<dialogs::Id> holders(dialogs::Id team_id, dialogs::Role role);

 private:
  Database& db_;
};

}  // namespace okr::storage
