#pragma once
// The Slack Web API methods OKR Coach calls, over bot/http/client. Every call is a POST of a
// JSON body (Content-Type: application/json; charset=utf-8) to SLACK_API_URL + method name with
// `Authorization: Bearer <bot token>`. Slack answers HTTP 200 with {"ok":true,...} or
// {"ok":false,"error":"<code>"}: we branch on `ok`, not on the status.
//
// Blocking and thread-safe like HttpClient (call it from the outbox dispatcher's thread, never
// from an HTTP handler). Failures throw SlackApiError, already classified for the retry loop.
// The token never appears in an error, a log line or an exception message.
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace okr::config {
struct Config;
}

namespace okr::bot::http {
class HttpClient;
}

namespace okr::bot::slack {

// What the dispatcher should do with a failed call.
enum class Retry {
  never,  // permanent: retrying cannot help (channel_not_found, invalid_auth, msg_too_long...)
  later,  // transient: 5xx, timeouts, connection failures, internal_error, ratelimited
};

class SlackApiError : public std::runtime_error {
 public:
  // `code`: Slack's `error` value (e.g. "channel_not_found", "ratelimited"), or for failures
  // below Slack: "http_<status>", "timeout", "connect_failed", "tls_failed", "protocol",
  // "invalid_url", "invalid_response".
  SlackApiError(std::string method, std::string code, Retry retry, int http_status,
                std::optional<std::chrono::seconds> retry_after, const std::string& detail = {});

  const std::string& method() const noexcept { return method_; }  // "chat.postMessage"
  const std::string& code() const noexcept { return code_; }
  Retry retry() const noexcept { return retry_; }
  bool permanent() const noexcept { return retry_ == Retry::never; }
  int http_status() const noexcept { return http_status_; }  // 0 when no HTTP answer arrived
  // From Retry-After on a 429 (or any answer carrying it): wait at least this long. A 429
  // without a usable Retry-After gets 1 s.
  std::optional<std::chrono::seconds> retry_after() const noexcept { return retry_after_; }

 private:
  std::string method_;
  std::string code_;
  Retry retry_;
  int http_status_;
  std::optional<std::chrono::seconds> retry_after_;
};

// Permanent vs retryable for a Slack `error` code. Unknown codes are permanent, so an
// unexpected answer dead-letters instead of looping forever.
Retry classify_slack_error(std::string_view code);

struct BotIdentity {
  std::string user_id;  // our bot user, "U..." (to ignore our own messages)
  std::string team_id;
  std::string bot_id;  // may be empty
};

struct PostedMessage {
  std::string channel;
  std::string ts;  // message timestamp, the id for chat.update
};

struct UserInfo {
  std::string id;
  std::string tz;                // IANA name, e.g. "America/Los_Angeles"; empty when unknown
  std::optional<int> tz_offset;  // seconds east of UTC
  std::string display_name;      // profile.display_name, else real_name, else name
};

class WebApi {
 public:
  // `client` must outlive the WebApi. `base_url` ends with '/' (config adds it); the method
  // name is appended to it.
  WebApi(http::HttpClient& client, std::string base_url, std::string bot_token);
  // slack_api_url and slack_bot_token from the config.
  WebApi(http::HttpClient& client, const config::Config& config);

  // The same client and URL speaking for another workspace (its installed bot token). An
  // empty token sends no Authorization header (oauth.v2.access authenticates with the client
  // id and secret in the form instead).
  WebApi with_token(std::string bot_token) const;

  // Any method with a JSON body; returns the whole payload of an ok:true answer.
  nlohmann::json call(std::string_view method, const nlohmann::json& args);
  // The same with a form-encoded body: read methods (users.info) do not take JSON arguments.
  nlohmann::json call_form(std::string_view method,
                           const std::vector<std::pair<std::string, std::string>>& fields);

  BotIdentity auth_test();
  // `args` holds channel, text, blocks, thread_ts ... as Slack names them.
  PostedMessage post_message(const nlohmann::json& args);
  PostedMessage update_message(const nlohmann::json& args);  // channel, ts, text, blocks
  std::string post_ephemeral(const nlohmann::json& args);    // returns message_ts
  std::string open_dm(std::string_view user_id);             // conversations.open -> "D..."
  void publish_home(std::string_view user_id, const nlohmann::json& view);         // views.publish
  std::string open_view(std::string_view trigger_id, const nlohmann::json& view);  // view id
  UserInfo user_info(std::string_view user_id);  // form-encoded; scope users:read

  // POSTs `body` as JSON to a response_url (no bearer token: the URL is the credential, so it
  // is never logged or put in an error either). Any 2xx is success.
  void post_response_url(const std::string& response_url, const nlohmann::json& body);

 private:
  nlohmann::json send(std::string_view method, std::string content_type, std::string body);

  http::HttpClient& client_;
  std::string base_url_;
  std::string token_;
};

}  // namespace okr::bot::slack
