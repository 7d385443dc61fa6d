#pragma once
// The bot scopes an install asks for: exactly those of deploy/slack/manifest.yaml
// (oauth_config.scopes.bot), which deploy_slack_manifest_test derives from the code. A test
// (oauth_scopes_test) keeps this list and the manifest equal.
#include <array>
#include <string_view>

namespace okr::bot::slack {

inline constexpr std::array<std::string_view, 8> kBotScopes{
    "app_mentions:read", "channels:read", "chat:write", "commands",
    "groups:read",       "im:history",    "im:write",   "users:read",
};

}  // namespace okr::bot::slack
