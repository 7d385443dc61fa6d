#include "storage/team_channels.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/codec.hpp"
#include "storage/database.hpp"
#include "storage/guarded.hpp"
#include "storage/statement_cache.hpp"

namespace okr::storage {
namespace {

constexpr const char* kColumns =
    "SELECT platform, workspace, channel, team_id, coalesce(bound_by, 0), bound_at, "
    "members_due_at FROM team_channels ";

ChannelBinding read_binding(SQLite::Statement& q) {
  ChannelBinding b;
  b.platform = q.getColumn(0).getString();
  b.workspace = q.getColumn(1).getString();
  b.channel = q.getColumn(2).getString();
  b.team_id = q.getColumn(3).getInt64();
  b.bound_by = q.getColumn(4).getInt64();
  b.bound_at = from_unix(q.getColumn(5).getInt64());
  b.members_due_at = from_unix(q.getColumn(6).getInt64());
  return b;
}

std::string channel_name(const std::string& platform, const std::string& channel) {
  return platform + " channel " + channel;
}

}  // namespace

std::optional<ChannelBinding> TeamChannels::find(const std::string& platform,
                                                 const std::string& workspace,
                                                 const std::string& channel) {
  return guarded("loading the team of " + channel_name(platform, channel), [&] {
    auto q = db_.statement(std::string(kColumns) +
                                          "WHERE platform = ? AND workspace = ? AND channel = ?");
    q.bind(1, platform);
    q.bind(2, workspace);
    q.bind(3, channel);
    std::optional<ChannelBinding> out;
    if (q.executeStep())
      out = read_binding(q);
    return out;
  });
}

std::vector<ChannelBinding> TeamChannels::of_team(dialogs::Id team_id) {
  return guarded("loading the channels of team " + std::to_string(team_id), [&] {
    auto q = db_.statement(std::string(kColumns) + "WHERE team_id = ? ORDER BY bound_at, channel");
    q.bind(1, team_id);
    std::vector<ChannelBinding> out;
    while (q.executeStep()) out.push_back(read_binding(q));
    return out;
  });
}

void TeamChannels::bind(const ChannelBinding& b) {
  guarded("binding " + channel_name(b.platform, b.channel) + " to team " +
              std::to_string(b.team_id),
          [&] {
            auto q = db_.statement("INSERT INTO team_channels (platform, workspace, channel, team_id, bound_by, "
                "bound_at, members_due_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (platform, workspace, channel) DO UPDATE SET team_id = "
                "excluded.team_id, bound_by = excluded.bound_by, bound_at = excluded.bound_at, "
                "members_due_at = excluded.members_due_at");
            q.bind(1, b.platform);
            q.bind(2, b.workspace);
            q.bind(3, b.channel);
            q.bind(4, b.team_id);
            if (b.bound_by == 0)
              q.bind(5);
            else
              q.bind(5, b.bound_by);
            q.bind(6, to_unix(b.bound_at));
            q.bind(7, to_unix(b.members_due_at));
            q.exec();
          });
}

void TeamChannels::set_members_due(const ChannelBinding& b, dialogs::TimePoint due) {
  guarded("moving the membership read of " + channel_name(b.platform, b.channel), [&] {
    auto q = db_.statement("UPDATE team_channels SET members_due_at = ? WHERE platform = ? AND "
                        "workspace = ? AND channel = ?");
    q.bind(1, to_unix(due));
    q.bind(2, b.platform);
    q.bind(3, b.workspace);
    q.bind(4, b.channel);
    q.exec();
  });
}

std::vector<ChannelBinding> TeamChannels::members_due(const std::string& platform,
                                                      dialogs::TimePoint now) {
  return guarded("loading the " + platform + " channels due for a membership read", [&] {
    auto q = db_.statement(std::string(kColumns) +
                                          "WHERE platform = ? AND members_due_at <= ? "
                                          "ORDER BY members_due_at, channel");
    q.bind(1, platform);
    q.bind(2, to_unix(now));
    std::vector<ChannelBinding> out;
    while (q.executeStep()) out.push_back(read_binding(q));
    return out;
  });
}

void TeamChannels::ask(dialogs::Id person_id, const PendingSetup& pending) {
  guarded("recording the setup question for person " + std::to_string(person_id), [&] {
    auto q = db_.statement("INSERT INTO team_setup_questions (person_id, team_id, question, asked_at) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET team_id = "
                        "excluded.team_id, question = excluded.question, asked_at = "
                        "excluded.asked_at");
    q.bind(1, person_id);
    q.bind(2, pending.team_id);
    q.bind(3, pending.question == SetupQuestion::managers ? "managers" : "coaches");
    q.bind(4, to_unix(pending.asked_at));
    q.exec();
  });
}

std::optional<PendingSetup> TeamChannels::pending(dialogs::Id person_id) {
  return guarded("loading the setup question for person " + std::to_string(person_id), [&] {
    auto q = db_.statement("SELECT team_id, question, asked_at FROM team_setup_questions "
                        "WHERE person_id = ?");
    q.bind(1, person_id);
    std::optional<PendingSetup> out;
    if (q.executeStep()) {
      PendingSetup p;
      p.team_id = q.getColumn(0).getInt64();
      p.question = q.getColumn(1).getString() == "managers" ? SetupQuestion::managers
                                                             : SetupQuestion::coaches;
      p.asked_at = from_unix(q.getColumn(2).getInt64());
      out = p;
    }
    return out;
  });
}

void TeamChannels::answered(dialogs::Id person_id) {
  guarded("closing the setup question for person " + std::to_string(person_id), [&] {
    auto q = db_.statement("DELETE FROM team_setup_questions WHERE person_id = ?");
    q.bind(1, person_id);
    q.exec();
  });
}

}  // namespace okr::storage
