#pragma once
// Slack's side of team setup (bot/pipeline/setup_commands.hpp holds the platform-free part):
// reading a channel's people through the Web API — outside any transaction, on a runtime worker
// or the scheduler thread, never before an acknowledgement — and handing them over.
#include <functional>
#include <optional>
#include <string>

#include "bot/slack/web_api.hpp"
#include "dialogs/domain.hpp"

namespace okr::storage {
class Database;
}
namespace okr::bot::slack {
struct OwnIdentity;
}  // namespace okr::bot::slack

namespace okr::bot::app {

struct InboundWork;

// Runs `/okr setup` typed in a channel, or the answer to the person's open setup question, and
// marks `inbox_id` done with the replies. Returns false when the work is neither (an ordinary
// turn). Throws on a transient failure, so the runtime retries the entry.
bool run_slack_team_setup(storage::Database& db, const InboundWork& work, dialogs::Id inbox_id,
                          slack::WebApi& api, const slack::OwnIdentity& self);

// The Web API speaking for a workspace (each install has its own token); nullopt when the
// coach has no token there any more.
using WorkspaceApi = std::function<std::optional<slack::WebApi>(const std::string& workspace)>;

// Reads the membership of every Slack channel whose daily read is due and applies it to its
// team. A channel that cannot be read (no token for its workspace, a failed call) keeps its
// members and is tried again in an hour.
void refresh_slack_team_channels(storage::Database& db, const WorkspaceApi& api_for,
                                 const slack::OwnIdentity& self, dialogs::TimePoint now);

}  // namespace okr::bot::app
