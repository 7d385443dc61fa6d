#include "bot/slack/slack_sender.hpp"

#include <exception>
#include <set>

#include <nlohmann/json.hpp>

#include "bot/http/client.hpp"
#include "bot/slack/blocks.hpp"
#include "bot/slack/home_view.hpp"
#include "bot/slack/posted_marks.hpp"
#include "bot/slack/web_api.hpp"

namespace okr::bot::slack {
namespace {

using nlohmann::json;
using pipeline::SendOutcome;

std::string method_of(const std::string& kind) {
  if (kind == "update")
    return "chat.update";
  if (kind == "ephemeral")
    return "chat.postEphemeral";
  if (kind == "response_url")
    return "response_url";
  if (kind == "view_publish")
    return "views.publish";
  return "chat.postMessage";
}

bool is_channel_id(const std::string& id) {
  return !id.empty() && (id.front() == 'D' || id.front() == 'C' || id.front() == 'G');
}

SendOutcome classify(const SlackApiError& error, const std::string& workspace) {
  if (error.retry_after()) {
    return SendOutcome::rate_limited(*error.retry_after(),
                                     "slack:" + workspace + ":" + error.method());
  }
  if (error.permanent())
    return SendOutcome::failed(error.method() + ": " + error.code());
  return SendOutcome::retry(error.method() + ": " + error.code());
}

// The stored pre-rendered payload, or the neutral message rendered now.
json payload_or_render(const storage::OutboxRow& row) {
  if (!row.platform_payload.empty()) {
    json stored = json::parse(row.platform_payload, nullptr, false);
    if (stored.is_object())
      return stored;
  }
  const auto parts = render_blocks(row.message);
  if (parts.empty())
    return json::object();
  return {{"text", parts.front().text}, {"blocks", parts.front().blocks}};
}

// A response_url post is not idempotent, carries no metadata and leaves nothing to look up
// (ephemeral answers are in no history), so a post whose outcome is unknown (sent whole, the
// connection closed before any answer) may already be on the person's screen. Sending it again
// would risk showing the answer twice with no way to tell; it is given up with that reason
// instead (one lost "only you can see this" answer, which the person can ask for again, over a
// duplicate we could never detect). Failures that prove Slack did not act are retried as usual.
SendOutcome answer_in_place(WebApi& api, const storage::OutboxRow& row) {
  json body = payload_or_render(row);
  body["response_type"] = "ephemeral";
  try {
    api.post_response_url(row.address.target, body);
  } catch (const SlackApiError& error) {
    if (error.code() != http::to_string(http::ClientErrorKind::outcome_unknown))
      throw;
    return SendOutcome::failed(
        "response_url: outcome unknown (sent whole, no answer); not sent again, because Slack "
        "may have shown it and a response_url post can be neither checked nor deduplicated");
  }
  return SendOutcome::delivered();
}

}  // namespace

std::string SlackSender::rate_scope(const storage::OutboxRow& row) const {
  return "slack:" + row.address.workspace + ":" + method_of(row.address.kind);
}

std::string SlackSender::dm_channel(WebApi& api, const std::string& workspace,
                                    const std::string& user) {
  const std::string key = workspace + ":" + user;
  {
    std::lock_guard lock(mutex_);
    if (const auto it = dm_channels_.find(key); it != dm_channels_.end())
      return it->second;
  }
  std::string channel = api.open_dm(user);
  std::lock_guard lock(mutex_);
  dm_channels_[key] = channel;
  return channel;
}

SendOutcome SlackSender::post(WebApi& api, const storage::OutboxRow& row) {
  const auto& address = row.address;
  const std::string channel =
      is_channel_id(address.conversation)
          ? address.conversation
          : dm_channel(api, address.workspace,
                       address.user.empty() ? address.conversation : address.user);
  const auto parts = render_blocks(row.message);
  std::size_t first = 0;
  {
    std::lock_guard lock(mutex_);
    first = parts_posted_[row.id];
  }
  // A re-send may follow a call that went through unseen (see posted_marks.hpp): parts whose
  // mark is already in the DM are not posted again. An unanswered lookup is retried like the
  // post would be; a refused one (say, a missing scope) falls back to posting (at-least-once).
  std::set<std::string> already_posted;
  if (row.attempts > 1 && !row.idempotency_key.empty()) {
    try {
      already_posted = posted_marks_since(api, channel, row.created_at);
    } catch (const SlackApiError& error) {
      if (!error.permanent())
        throw;
    }
  }
  std::string ref;
  for (std::size_t i = first; i < parts.size(); ++i) {
    const auto mark = posted_mark(row.idempotency_key, i);
    if (already_posted.contains(mark))
      continue;
    json args = {{"channel", channel}, {"text", parts[i].text}, {"unfurl_links", false}};
    if (!row.idempotency_key.empty())
      args["metadata"] = posted_mark_metadata(mark);
    if (!parts[i].blocks.empty())
      args["blocks"] = parts[i].blocks;
    if (!address.thread.empty())
      args["thread_ts"] = address.thread;
    const auto posted = api.post_message(args);
    if (ref.empty())
      ref = posted.ts;
    std::lock_guard lock(mutex_);
    parts_posted_[row.id] = i + 1;
  }
  std::lock_guard lock(mutex_);
  parts_posted_.erase(row.id);
  return SendOutcome::delivered(ref);
}

SendOutcome SlackSender::send(const storage::OutboxRow& row) {
  if (!tokens_)
    return send_with(api_, row);
  const auto& workspace = row.address.workspace;
  std::optional<std::string> token;
  try {
    token = tokens_(workspace);
  } catch (const SlackApiError& error) {
    return classify(error, workspace);
  } catch (const std::exception& error) {
    // A token that does not unseal will not unseal on a retry either: an operator must act.
    return SendOutcome::failed("no usable token for workspace " + workspace + ": " + error.what());
  }
  if (!token) {
    // Uninstalled (or never installed): retrying cannot help, and Slack would refuse anyway.
    return SendOutcome::failed("workspace " + workspace +
                               " is not installed (uninstalled or tokens revoked)");
  }
  WebApi api = api_.with_token(std::move(*token));
  return send_with(api, row);
}

SendOutcome SlackSender::send_with(WebApi& api, const storage::OutboxRow& row) {
  const auto& address = row.address;
  try {
    if (address.kind == "post" || address.kind.empty())
      return post(api, row);
    if (address.kind == "update") {
      json args = payload_or_render(row);
      if (!args.contains("channel"))
        args["channel"] = address.conversation;
      args["ts"] = address.target;
      return SendOutcome::delivered(api.update_message(args).ts);
    }
    if (address.kind == "ephemeral") {
      json args = payload_or_render(row);
      args["channel"] = address.conversation;
      args["user"] = address.user;
      return SendOutcome::delivered(api.post_ephemeral(args));
    }
    if (address.kind == "response_url")
      return answer_in_place(api, row);
    if (address.kind == "view_publish") {
      const json view = row.platform_payload.empty()
                            ? home_view(row.message)
                            : json::parse(row.platform_payload, nullptr, false);
      if (!view.is_object())
        return SendOutcome::failed("views.publish: stored view is not JSON");
      api.publish_home(address.user, view);
      return SendOutcome::delivered();
    }
    return SendOutcome::failed("unknown outbox kind " + address.kind);
  } catch (const SlackApiError& error) {
    return classify(error, address.workspace);
  } catch (const std::exception& error) {
    // Anything below Slack (connection trouble the client did not classify) is worth a retry.
    return SendOutcome::retry(method_of(address.kind) + ": " + error.what());
  }
}

}  // namespace okr::bot::slack
