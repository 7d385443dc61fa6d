#pragma once
// The Bot Connector REST calls the coach makes (platforms.md §12): reply to an activity, post
// into a conversation, replace a message, create a 1:1 conversation. Every call carries a
// bearer token from the TokenSource; a 401 drops that token and the call is made once more with
// a fresh one. Path segments are percent-encoded (conversation ids hold ':' and '@').
// Blocking; called on the dispatcher's thread.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace okr::bot::http {
class HttpClient;
}

namespace okr::bot::teams {

class TokenSource;

struct ConnectorResponse {
  int status = 0;
  std::string id;  // "id" of the answer: the new activity or conversation
  std::optional<std::chrono::seconds> retry_after;
  std::string correlation_id;  // X-Correlating-OperationId, for the log on errors
  std::string error_code;      // "error.code" of an error answer, when there is one
  bool ok() const { return status >= 200 && status < 300; }
};

// RFC 3986 unreserved characters stay, everything else becomes %XX.
std::string percent_encode_segment(std::string_view segment);
// `service_url` with or without its trailing slash, joined to `path` (which starts "v3/").
std::string connector_url(std::string_view service_url, std::string_view path);

class Connector {
 public:
  // Both must outlive the connector.
  Connector(http::HttpClient& client, TokenSource& tokens);

  // POST {serviceUrl}v3/conversations/{id}/activities/{replyToId}
  ConnectorResponse reply(const std::string& service_url, const std::string& conversation_id,
                          const std::string& reply_to_id, const nlohmann::json& activity);
  // POST {serviceUrl}v3/conversations/{id}/activities
  ConnectorResponse post(const std::string& service_url, const std::string& conversation_id,
                         const nlohmann::json& activity);
  // PUT {serviceUrl}v3/conversations/{id}/activities/{activityId}
  ConnectorResponse update(const std::string& service_url, const std::string& conversation_id,
                           const std::string& activity_id, const nlohmann::json& activity);
  // POST {serviceUrl}v3/conversations: a 1:1 chat of the bot with `user_id`; `id` of the
  // answer is the new conversation's id.
  ConnectorResponse create_personal(const std::string& service_url, const std::string& bot_id,
                                    const std::string& user_id, const std::string& tenant_id);

 private:
  // Throws http::ClientError (network) and TokenError (no token).
  ConnectorResponse call(const std::string& method, const std::string& url,
                         const nlohmann::json& body);

  http::HttpClient& client_;
  TokenSource& tokens_;
};

}  // namespace okr::bot::teams
