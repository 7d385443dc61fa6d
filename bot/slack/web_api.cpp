#include "bot/slack/web_api.hpp"

#include <array>
#include <charconv>

#include "bot/http/client.hpp"
#include "bot/slack/form.hpp"
#include "config/config.hpp"

namespace okr::bot::slack {

namespace {

using nlohmann::json;

constexpr std::string_view kJson = "application/json; charset=utf-8";

// Slack's codes for "try again later"; everything else is a problem retrying cannot fix.
constexpr std::array<std::string_view, 7> kRetryable{
    "ratelimited",         "rate_limited",    "internal_error",    "fatal_error",
    "service_unavailable", "request_timeout", "team_added_to_org",
};

std::optional<std::chrono::seconds> parse_retry_after(const http::ClientResponse& response) {
  const auto value = response.header("Retry-After");
  if (!value) {
    return std::nullopt;
  }
  long long seconds = 0;
  const auto* end = value->data() + value->size();
  const auto [stop, ec] = std::from_chars(value->data(), end, seconds);
  if (ec != std::errc() || stop != end || seconds < 0) {
    return std::nullopt;
  }
  return std::chrono::seconds(seconds);
}

std::string text_of(const json& payload, std::string_view key) {
  const auto it = payload.find(key);
  return it != payload.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Transport failures below Slack are all worth another try, except a URL we cannot use.
[[noreturn]] void rethrow_transport(std::string_view method, const http::ClientError& error) {
  const auto kind = error.kind();
  const Retry retry = kind == http::ClientErrorKind::invalid_url ? Retry::never : Retry::later;
  throw SlackApiError(std::string(method), std::string(http::to_string(kind)), retry, 0,
                      std::nullopt, error.what());
}

// Turns an HTTP answer into the ok:true payload or the classified error.
json interpret(std::string_view method, const http::ClientResponse& response) {
  const auto retry_after = parse_retry_after(response);
  const int status = response.status;
  json payload = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  const bool is_object = payload.is_object();
  if (status == 429) {
    const std::string code = is_object && !text_of(payload, "error").empty()
                                 ? text_of(payload, "error")
                                 : std::string("ratelimited");
    throw SlackApiError(std::string(method), code, Retry::later, status,
                        retry_after.value_or(std::chrono::seconds(1)));
  }
  if (status >= 500) {
    throw SlackApiError(std::string(method), "http_" + std::to_string(status), Retry::later, status,
                        retry_after);
  }
  if (status < 200 || status >= 300) {
    throw SlackApiError(std::string(method), "http_" + std::to_string(status), Retry::never, status,
                        retry_after);
  }
  if (!is_object || !payload.contains("ok") || !payload["ok"].is_boolean()) {
    throw SlackApiError(std::string(method), "invalid_response", Retry::later, status, retry_after,
                        "the answer is not a Slack API result object");
  }
  if (!payload["ok"].get<bool>()) {
    std::string code = text_of(payload, "error");
    if (code.empty()) {
      code = "unknown_error";
    }
    throw SlackApiError(std::string(method), code, classify_slack_error(code), status, retry_after);
  }
  return payload;
}

std::string required_text(std::string_view method, const json& payload,
                          const json::json_pointer& at) {
  if (!payload.contains(at) || !payload.at(at).is_string()) {
    throw SlackApiError(std::string(method), "invalid_response", Retry::later, 200, std::nullopt,
                        "the answer lacks " + at.to_string());
  }
  return payload.at(at).get<std::string>();
}

std::string describe(const std::string& method, const std::string& code, int status,
                     const std::optional<std::chrono::seconds>& retry_after,
                     const std::string& detail) {
  std::string text = "slack " + method + " failed: " + code;
  if (status != 0) {
    text += " (HTTP " + std::to_string(status) + ")";
  }
  if (retry_after) {
    text += ", retry after " + std::to_string(retry_after->count()) + " s";
  }
  if (!detail.empty()) {
    text += ": " + detail;
  }
  return text;
}

}  // namespace

SlackApiError::SlackApiError(std::string method, std::string code, Retry retry, int http_status,
                             std::optional<std::chrono::seconds> retry_after,
                             const std::string& detail)
    : std::runtime_error(describe(method, code, http_status, retry_after, detail)),
      method_(std::move(method)),
      code_(std::move(code)),
      retry_(retry),
      http_status_(http_status),
      retry_after_(retry_after) {}

Retry classify_slack_error(std::string_view code) {
  for (std::string_view retryable : kRetryable) {
    if (code == retryable) {
      return Retry::later;
    }
  }
  return Retry::never;
}

WebApi::WebApi(http::HttpClient& client, std::string base_url, std::string bot_token)
    : client_(client), base_url_(std::move(base_url)), token_(std::move(bot_token)) {
  if (!base_url_.empty() && !base_url_.ends_with('/')) {
    base_url_ += '/';
  }
}

WebApi::WebApi(http::HttpClient& client, const config::Config& config)
    : WebApi(client, config.slack_api_url, config.slack_bot_token) {}

WebApi WebApi::with_token(std::string bot_token) const {
  return WebApi(client_, base_url_, std::move(bot_token));
}

json WebApi::call(std::string_view method, const json& args) {
  return send(method, std::string(kJson),
              args.dump(-1, ' ', false, json::error_handler_t::replace));
}

json WebApi::call_form(std::string_view method,
                       const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty())
      body += '&';
    body += form_encode(name) + "=" + form_encode(value);
  }
  return send(method, "application/x-www-form-urlencoded", std::move(body));
}

json WebApi::send(std::string_view method, std::string content_type, std::string body) {
  http::ClientRequest request;
  request.method = "POST";
  request.url = base_url_ + std::string(method);
  request.headers = {{"Content-Type", std::move(content_type)}, {"Accept", "application/json"}};
  if (!token_.empty())
    request.headers.emplace_back("Authorization", "Bearer " + token_);
  request.body = std::move(body);
  http::ClientResponse response;
  try {
    response = client_.send(request);
  } catch (const http::ClientError& error) {
    rethrow_transport(method, error);
  }
  return interpret(method, response);
}

BotIdentity WebApi::auth_test() {
  const json payload = call("auth.test", json::object());
  BotIdentity identity;
  identity.user_id = required_text("auth.test", payload, json::json_pointer("/user_id"));
  identity.team_id = text_of(payload, "team_id");
  identity.bot_id = text_of(payload, "bot_id");
  return identity;
}

PostedMessage WebApi::post_message(const json& args) {
  const json payload = call("chat.postMessage", args);
  return {required_text("chat.postMessage", payload, json::json_pointer("/channel")),
          required_text("chat.postMessage", payload, json::json_pointer("/ts"))};
}

PostedMessage WebApi::update_message(const json& args) {
  const json payload = call("chat.update", args);
  return {required_text("chat.update", payload, json::json_pointer("/channel")),
          required_text("chat.update", payload, json::json_pointer("/ts"))};
}

std::string WebApi::post_ephemeral(const json& args) {
  const json payload = call("chat.postEphemeral", args);
  return required_text("chat.postEphemeral", payload, json::json_pointer("/message_ts"));
}

std::string WebApi::open_dm(std::string_view user_id) {
  const json payload = call("conversations.open", {{"users", std::string(user_id)}});
  return required_text("conversations.open", payload, json::json_pointer("/channel/id"));
}

void WebApi::publish_home(std::string_view user_id, const json& view) {
  call("views.publish", {{"user_id", std::string(user_id)}, {"view", view}});
}

std::string WebApi::open_view(std::string_view trigger_id, const json& view) {
  const json payload =
      call("views.open", {{"trigger_id", std::string(trigger_id)}, {"view", view}});
  return required_text("views.open", payload, json::json_pointer("/view/id"));
}

UserInfo WebApi::user_info(std::string_view user_id) {
  const json payload = call_form("users.info", {{"user", std::string(user_id)}});
  UserInfo info;
  info.id = required_text("users.info", payload, json::json_pointer("/user/id"));
  const json& user = payload.at("user");
  info.tz = text_of(user, "tz");
  if (const auto profile = user.find("profile"); profile != user.end() && profile->is_object())
    info.display_name = text_of(*profile, "display_name");
  if (info.display_name.empty())
    info.display_name = text_of(user, "real_name");
  if (info.display_name.empty())
    info.display_name = text_of(user, "name");
  if (const auto offset = user.find("tz_offset");
      offset != user.end() && offset->is_number_integer()) {
    info.tz_offset = offset->get<int>();
  }
  return info;
}

void WebApi::post_response_url(const std::string& response_url, const json& body) {
  constexpr std::string_view kMethod = "response_url";
  http::ClientRequest request;
  request.method = "POST";
  request.url = response_url;
  request.headers = {{"Content-Type", std::string(kJson)}};
  request.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  http::ClientResponse response;
  try {
    response = client_.send(request);
  } catch (const http::ClientError& error) {
    rethrow_transport(kMethod, error);
  }
  if (response.status >= 200 && response.status < 300) {
    // Slack answers plain "ok" or a JSON result; only an explicit ok:false is a failure.
    const json payload = json::parse(response.body, nullptr, false);
    if (payload.is_object() && payload.contains("ok") && payload["ok"] == false) {
      interpret(kMethod, response);
    }
    return;
  }
  interpret(kMethod, response);
}

}  // namespace okr::bot::slack
