#pragma once
// Sends outbox rows to Slack: renders the neutral message as Block Kit and calls the Web API
// for the row's kind (post → conversations.open when needed, then chat.postMessage; update →
// chat.update; ephemeral → chat.postEphemeral; response_url; view_publish → views.publish).
// It classifies each outcome for the dispatcher and never retries by itself. A response_url
// post whose outcome is unknown is given up, not retried (it cannot be checked; see the .cpp).
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "bot/pipeline/message_sender.hpp"

namespace okr::bot::slack {

class WebApi;

// The bot token of a workspace (its OAuth installation, else SLACK_BOT_TOKEN); nullopt when the
// coach has no token there any more (uninstalled). May throw SlackApiError (a failed refresh).
using TokenLookup = std::function<std::optional<std::string>(const std::string& workspace)>;

class SlackSender : public pipeline::MessageSender {
 public:
  // Without `tokens` every call uses `api`'s own token (one workspace). With it, each row is
  // sent with its workspace's token, and a row for a workspace without one is dead-lettered.
  explicit SlackSender(WebApi& api, TokenLookup tokens = {})
      : api_(api), tokens_(std::move(tokens)) {}

  pipeline::SendOutcome send(const storage::OutboxRow& row) override;
  // "slack:<team>:<Web API method>": Slack rate-limits per method and workspace.
  std::string rate_scope(const storage::OutboxRow& row) const override;

 private:
  // The D… channel of a person's DM, opened once and remembered.
  std::string dm_channel(WebApi& api, const std::string& workspace, const std::string& user);
  pipeline::SendOutcome post(WebApi& api, const storage::OutboxRow& row);
  pipeline::SendOutcome send_with(WebApi& api, const storage::OutboxRow& row);

  WebApi& api_;
  TokenLookup tokens_;
  std::mutex mutex_;
  std::map<std::string, std::string> dm_channels_;  // "<team>:<user>" -> D…
  // A message too big for one Slack message goes out in parts; when a later part fails, the
  // retry starts after the parts already posted (in memory: a restart may repeat a part).
  std::map<long long, std::size_t> parts_posted_;
};

}  // namespace okr::bot::slack
