#pragma once
// Teams bound to chat channels (migration 9): `/okr setup` in a Slack channel binds the team to
// it, and the channel's membership becomes the team's members, read again once a day. Also the
// one question of the setup conversation a person still owes an answer to.
#include <optional>
#include <string>
#include <vector>

#include "dialogs/domain.hpp"

namespace okr::storage {

class Database;

struct ChannelBinding {
  std::string platform;
  std::string workspace;
  std::string channel;  // the platform's channel id, e.g. Slack's "C0123"
  dialogs::Id team_id = 0;
  dialogs::Id bound_by = 0;  // 0 when that person was forgotten
  dialogs::TimePoint bound_at{};
  dialogs::TimePoint members_due_at{};  // when the membership is read again
};

// The setup conversation asks for managers, then coaches.
enum class SetupQuestion { managers, coaches };

struct PendingSetup {
  dialogs::Id team_id = 0;
  SetupQuestion question = SetupQuestion::managers;
  dialogs::TimePoint asked_at{};
};

class TeamChannels {
 public:
  explicit TeamChannels(Database& db) : db_(db) {}

  std::optional<ChannelBinding> find(const std::string& platform, const std::string& workspace,
                                     const std::string& channel);
  std::vector<ChannelBinding> of_team(dialogs::Id team_id);
  // Binds (or re-binds) the channel to the binding's team. Joins the caller's transaction.
  void bind(const ChannelBinding& binding);
  void set_members_due(const ChannelBinding& binding, dialogs::TimePoint due);
  // Bindings of `platform` whose membership is due at `now`, soonest first.
  std::vector<ChannelBinding> members_due(const std::string& platform, dialogs::TimePoint now);

  // The person's open setup question; asking again replaces it.
  void ask(dialogs::Id person_id, const PendingSetup& pending);
  std::optional<PendingSetup> pending(dialogs::Id person_id);
  void answered(dialogs::Id person_id);

 private:
  Database& db_;
};

}  // namespace okr::storage
