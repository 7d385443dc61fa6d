#include "bot/app/slack_team_setup.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <set>
#include <stdexcept>

#include "bot/app/channel_runtime.hpp"
#include "bot/pipeline/clock.hpp"
#include "bot/pipeline/setup_commands.hpp"
#include "bot/slack/channel_members.hpp"
#include "bot/slack/own_identity.hpp"
#include "bot/slack/web_api.hpp"
#include "storage/memberships.hpp"
#include "storage/people.hpp"
#include "storage/team_channels.hpp"
#include "storage/turn_commit.hpp"

namespace okr::bot::app {
namespace {

constexpr auto kRetryUnreadable = std::chrono::hours{1};

// Thrown inside the setup transaction when the message turned out not to be a setup answer:
// everything rolls back and the message runs as an ordinary turn.
struct NotASetupAnswer {};

pipeline::ChannelRoster roster_of(const std::string& workspace, const std::string& channel,
                                  const std::string& name,
                                  const std::vector<slack::ChannelHuman>& humans) {
  pipeline::ChannelRoster roster;
  roster.platform = "slack";
  roster.workspace = workspace;
  roster.channel = channel;
  roster.name = name;
  for (const auto& h : humans) roster.people.push_back({h.user_id, h.display_name, h.tz});
  return roster;
}

bool commit_answer(storage::Database& db, dialogs::Id inbox_id, const InboundWork& work,
                   const std::function<std::optional<std::vector<dialogs::Outbound>>()>& answer) {
  try {
    storage::commit_command(db, inbox_id, pipeline::system_now(), [&] {
      auto replies = answer();
      if (!replies)
        throw NotASetupAnswer{};
      std::vector<storage::OutboxItem> items;
      for (auto& reply : *replies) {
        storage::OutboxItem item;
        item.address = work.reply_to;
        item.message = std::move(reply);
        items.push_back(std::move(item));
      }
      return items;
    });
  } catch (const NotASetupAnswer&) {
    return false;
  }
  return true;
}

}  // namespace

bool run_slack_team_setup(storage::Database& db, const InboundWork& work, dialogs::Id inbox_id,
                          slack::WebApi& api, const slack::OwnIdentity& self) {
  if (work.kind != "turn")
    return false;
  const auto& message = work.message;
  if (const auto request = pipeline::channel_setup_request(message.text)) {
    std::vector<slack::ChannelHuman> humans;
    std::optional<std::string> problem;
    try {
      humans = slack::channel_humans(api, request->channel, self.bot_user_id);
    } catch (const slack::SlackApiError& error) {
      if (!error.permanent())
        throw;  // the runtime tries the entry again shortly
      spdlog::warn("slack: members of channel {} not read for setup: {}", request->channel,
                   error.code());
      problem = error.code() == "not_in_channel" || error.code() == "channel_not_found"
                    ? "I'm not in that channel yet. Invite me with `/invite @OKR Coach`, then run "
                      "`/okr setup` there again."
                    : "I couldn't read who is in that channel (Slack said " + error.code() +
                          "), so I set nothing up. An admin may need to reinstall the app with "
                          "its channel permissions.";
    }
    return commit_answer(db, inbox_id, work, [&]() -> std::optional<std::vector<dialogs::Outbound>> {
      if (problem) {
        dialogs::Outbound out;
        out.text = *problem;
        return std::vector<dialogs::Outbound>{out};
      }
      dialogs::Person identity;
      identity.platform = "slack";
      identity.workspace = message.workspace;
      identity.user_ref = message.user;
      const auto who = storage::People(db).find_or_create(identity);
      return pipeline::set_up_channel_team(
          db, who, roster_of(message.workspace, request->channel, request->name, humans),
          pipeline::system_now());
    });
  }
  // Only the DM carries setup answers; a slash command elsewhere is never one.
  if (message.conversation.rfind("dm:", 0) != 0)
    return false;
  const auto person = storage::People(db).find("slack", message.workspace, message.user);
  if (!person || !storage::TeamChannels(db).pending(person->id))
    return false;
  return commit_answer(db, inbox_id, work, [&] {
    return pipeline::answer_setup_question(db, message, pipeline::system_now());
  });
}

void refresh_slack_team_channels(storage::Database& db, const WorkspaceApi& api_for,
                                 const slack::OwnIdentity& self, dialogs::TimePoint now) {
  storage::TeamChannels channels(db);
  for (const auto& binding : channels.members_due("slack", now)) {
    std::set<std::string> known;
    for (const auto& member : storage::Memberships(db).members(binding.team_id)) {
      if (member.person.platform == "slack" && member.person.workspace == binding.workspace)
        known.insert(member.person.user_ref);
    }
    std::vector<slack::ChannelHuman> humans;
    try {
      auto api = api_for(binding.workspace);
      if (!api)
        throw std::runtime_error("no token for workspace " + binding.workspace);
      humans = slack::channel_humans(*api, binding.channel, self.bot_user_id, known);
    } catch (const std::exception& error) {
      spdlog::warn("slack: members of channel {} (team {}) not refreshed, trying again in an "
                   "hour: {}",
                   binding.channel, binding.team_id, error.what());
      channels.set_members_due(binding, now + kRetryUnreadable);
      continue;
    }
    const auto roster = roster_of(binding.workspace, binding.channel, "", humans);
    pipeline::RosterChange change;
    storage::commit_command(db, std::nullopt, now, [&] {
      change = pipeline::apply_channel_roster(db, binding.team_id, roster, now);
      return std::vector<storage::OutboxItem>{};
    });
    if (change.joined + change.left > 0)
      spdlog::info("slack: channel {} (team {}): {} joined, {} left", binding.channel,
                   binding.team_id, change.joined, change.left);
  }
}

}  // namespace okr::bot::app
