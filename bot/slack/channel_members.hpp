#pragma once
// The people of a Slack channel, for a team bound to it: conversations.members (every page, by
// cursor), then users.info for each member not already known to be a person, so bots, deleted
// accounts and Slackbot are left out. The coach's own bot user is never among them.
// Needs channels:read (public channels) or groups:read (private ones), and users:read.
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace okr::bot::slack {

class WebApi;

struct ChannelHuman {
  std::string user_id;
  std::string display_name;  // empty for members taken from `known` (no users.info call)
  std::string tz;            // IANA name, empty when unknown
};

// Throws SlackApiError (e.g. not_in_channel when the coach was not invited, which is permanent).
// `known_humans`: user ids already known to be people (no users.info call for them).
std::vector<ChannelHuman> channel_humans(WebApi& api, std::string_view channel,
                                         std::string_view own_user_id,
                                         const std::set<std::string>& known_humans = {});

}  // namespace okr::bot::slack
