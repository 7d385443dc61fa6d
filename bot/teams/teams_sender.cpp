#include "bot/teams/teams_sender.hpp"

#include <chrono>
#include <exception>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "bot/http/client.hpp"
#include "bot/teams/adaptive_card.hpp"
#include "bot/teams/connector.hpp"
#include "bot/teams/token_source.hpp"

namespace okr::bot::teams {
namespace {

using nlohmann::json;
using pipeline::SendOutcome;

std::string described(const ConnectorResponse& response) {
  std::string text = "HTTP " + std::to_string(response.status);
  if (!response.error_code.empty())
    text += " " + response.error_code;
  if (!response.correlation_id.empty())
    text += " (operation " + response.correlation_id + ")";
  return text;
}

}  // namespace

TeamsSender::TeamsSender(Connector& connector, storage::Database& db, std::string app_id)
    : connector_(connector), db_(db), app_id_(std::move(app_id)) {}

std::string TeamsSender::rate_scope(const storage::OutboxRow& row) const {
  return "teams:" + row.address.workspace + ":" + row.address.conversation;
}

std::optional<storage::ConversationRef> TeamsSender::resolve(
    const storage::OutboxAddress& address, std::string& why) {
  const auto& user = address.user.empty() ? address.conversation : address.user;
  std::optional<storage::ConversationRef> seen;
  {
    std::lock_guard lock(db_mutex_);
    storage::ConversationRefs refs(db_);
    if (auto ref = refs.find(address.workspace, address.conversation)) {
      if (ref->stale) {
        why = "the app is not installed in this conversation any more";
        return std::nullopt;
      }
      return ref;
    }
    if (auto personal = refs.personal_of(address.workspace, user))
      return personal;
    seen = refs.any_of_user(address.workspace, user);
  }
  if (!seen) {
    why = "no conversation reference for this person (the app is not installed for them)";
    return std::nullopt;
  }
  const auto bot_id = seen->bot_id.empty() ? "28:" + app_id_ : seen->bot_id;
  const auto created = connector_.create_personal(seen->service_url, bot_id, user,
                                                  address.workspace);
  if (!created.ok() || created.id.empty()) {
    why = "creating the 1:1 chat failed: " + described(created);
    if (created.status == 403) {
      std::lock_guard lock(db_mutex_);
      storage::ConversationRefs(db_).mark_stale(seen->tenant_id, seen->conversation_id);
    }
    return std::nullopt;
  }
  storage::ConversationRef ref = *seen;
  ref.conversation_id = created.id;
  ref.conversation_type = "personal";
  ref.bot_id = bot_id;
  ref.user_id = user;
  ref.last_activity_id.clear();
  ref.greeted = true;  // the coach speaks first here; no separate welcome is owed
  ref.updated_at = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  {
    std::lock_guard lock(db_mutex_);
    storage::ConversationRefs(db_).remember(ref);
  }
  spdlog::info("teams: created a 1:1 chat with {} in tenant {}", user, address.workspace);
  return ref;
}

SendOutcome TeamsSender::classify(const ConnectorResponse& response, bool proactive,
                                  const storage::ConversationRef& ref) {
  if (response.ok())
    return SendOutcome::delivered(response.id);
  if (response.status == 429) {
    if (response.retry_after)
      return SendOutcome::rate_limited(*response.retry_after);
    return SendOutcome::retry("HTTP 429 without Retry-After");
  }
  if (response.status == 403 && proactive) {
    {
      std::lock_guard lock(db_mutex_);
      storage::ConversationRefs(db_).mark_stale(ref.tenant_id, ref.conversation_id);
    }
    return SendOutcome::failed("not installed: " + described(response));
  }
  if (response.status == 408 || response.status == 412 || response.status >= 500)
    return SendOutcome::retry(described(response));
  return SendOutcome::failed(described(response));
}

SendOutcome TeamsSender::post(const storage::OutboxRow& row) {
  std::string why;
  const auto ref = resolve(row.address, why);
  if (!ref)
    return SendOutcome::failed(why);
  const auto activities = render_activities(row.message);
  std::size_t first = 0;
  {
    std::lock_guard lock(mutex_);
    first = parts_posted_[row.id];
  }
  std::string sent_id;
  const bool proactive = row.address.thread.empty();
  for (std::size_t i = first; i < activities.size(); ++i) {
    const auto response =
        proactive ? connector_.post(ref->service_url, ref->conversation_id, activities[i])
                  : connector_.reply(ref->service_url, ref->conversation_id, row.address.thread,
                                     activities[i]);
    if (!response.ok())
      return classify(response, proactive, *ref);
    if (sent_id.empty())
      sent_id = response.id;
    std::lock_guard lock(mutex_);
    parts_posted_[row.id] = i + 1;
  }
  std::lock_guard lock(mutex_);
  parts_posted_.erase(row.id);
  return SendOutcome::delivered(sent_id);
}

SendOutcome TeamsSender::update(const storage::OutboxRow& row) {
  std::string why;
  const auto ref = [&] {
    std::lock_guard lock(db_mutex_);
    return storage::ConversationRefs(db_).find(row.address.workspace, row.address.conversation);
  }();
  if (!ref)
    return SendOutcome::failed("no conversation reference for the card to update");
  json activity = json::parse(row.platform_payload, nullptr, false);
  if (!activity.is_object())
    activity = answered_card_activity(row.message.text);
  const auto response =
      connector_.update(ref->service_url, ref->conversation_id, row.address.target, activity);
  return classify(response, false, *ref);
}

SendOutcome TeamsSender::send(const storage::OutboxRow& row) {
  try {
    if (row.address.kind == "update")
      return update(row);
    return post(row);
  } catch (const TokenError& error) {
    if (error.retryable())
      return SendOutcome::retry(std::string("token: ") + error.what());
    return SendOutcome::failed(std::string("token: ") + error.what());
  } catch (const http::ClientError& error) {
    return SendOutcome::retry(error.what());
  }
}

}  // namespace okr::bot::teams
