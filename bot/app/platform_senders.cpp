#include "bot/app/platform_senders.hpp"

#include "bot/http/client.hpp"
#include "bot/pipeline/outbox_dispatcher.hpp"
#include "bot/slack/slack_sender.hpp"
#include "bot/slack/web_api.hpp"
#include "config/config.hpp"

namespace okr::bot::app {

PlatformSenders::PlatformSenders(const config::Config& config) {
  // Sending needs only the bot token (the signing secret is for requests Slack sends us).
  if (!config.slack_bot_token.empty()) {
    http::ClientOptions options;
    options.ca_file = config.ca_file;
    client_ = std::make_unique<http::HttpClient>(options);
    slack_api_ = std::make_unique<slack::WebApi>(*client_, config);
    senders_.emplace("slack", std::make_shared<slack::SlackSender>(*slack_api_));
  }
}

PlatformSenders::~PlatformSenders() = default;

std::set<std::string> PlatformSenders::platforms() const {
  std::set<std::string> out;
  for (const auto& [platform, sender] : senders_)
    out.insert(platform);
  return out;
}

void PlatformSenders::add_to(pipeline::OutboxDispatcher& dispatcher) const {
  for (const auto& [platform, sender] : senders_)
    dispatcher.add_sender(platform, sender);
}

}  // namespace okr::bot::app
