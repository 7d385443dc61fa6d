#include "bot/slack/channel_members.hpp"

#include <nlohmann/json.hpp>

#include "bot/slack/web_api.hpp"

namespace okr::bot::slack {
namespace {

using nlohmann::json;

// Slack's page size for conversations.members may be up to 1000; 200 is its recommendation.
constexpr const char* kPageSize = "200";
// A runaway cursor (a fake, a bug) must not keep us paging forever.
constexpr int kMaxPages = 500;

std::string text_at(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool flag_at(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

std::vector<std::string> member_ids(WebApi& api, std::string_view channel) {
  std::vector<std::string> ids;
  std::string cursor;
  for (int page = 0; page < kMaxPages; ++page) {
    std::vector<std::pair<std::string, std::string>> fields{{"channel", std::string(channel)},
                                                            {"limit", kPageSize}};
    if (!cursor.empty())
      fields.emplace_back("cursor", cursor);
    const auto answer = api.call_form("conversations.members", fields);
    if (const auto members = answer.find("members");
        members != answer.end() && members->is_array()) {
      for (const auto& id : *members) {
        if (id.is_string())
          ids.push_back(id.get<std::string>());
      }
    }
    cursor.clear();
    if (const auto meta = answer.find("response_metadata");
        meta != answer.end() && meta->is_object())
      cursor = text_at(*meta, "next_cursor");
    if (cursor.empty())
      break;
  }
  return ids;
}

}  // namespace

std::vector<ChannelHuman> channel_humans(WebApi& api, std::string_view channel,
                                         std::string_view own_user_id,
                                         const std::set<std::string>& known_humans) {
  std::vector<ChannelHuman> humans;
  for (const auto& id : member_ids(api, channel)) {
    if (id == own_user_id || id == "USLACKBOT")
      continue;
    if (known_humans.count(id) != 0) {
      humans.push_back({id, "", ""});
      continue;
    }
    const auto answer = api.call_form("users.info", {{"user", id}});
    const auto user = answer.find("user");
    if (user == answer.end() || !user->is_object())
      continue;
    if (flag_at(*user, "is_bot") || flag_at(*user, "deleted") || flag_at(*user, "is_app_user"))
      continue;
    ChannelHuman human;
    human.user_id = id;
    human.tz = text_at(*user, "tz");
    if (const auto profile = user->find("profile"); profile != user->end() && profile->is_object()) {
      human.display_name = text_at(*profile, "display_name");
      if (human.display_name.empty())
        human.display_name = text_at(*profile, "real_name");
    }
    if (human.display_name.empty())
      human.display_name = text_at(*user, "real_name");
    if (human.display_name.empty())
      human.display_name = text_at(*user, "name");
    humans.push_back(std::move(human));
  }
  return humans;
}

}  // namespace okr::bot::slack
