#include "bot/teams/connector.hpp"

#include <cctype>
#include <cstdio>

#include "bot/http/client.hpp"
#include "bot/teams/token_source.hpp"

namespace okr::bot::teams {
namespace {

using nlohmann::json;

std::optional<std::chrono::seconds> retry_after_of(const http::ClientResponse& response) {
  const auto header = response.header("Retry-After");
  if (!header)
    return std::nullopt;
  try {
    const auto seconds = std::stol(std::string(*header));
    if (seconds >= 0)
      return std::chrono::seconds(seconds);
  } catch (const std::exception&) {
    // An HTTP date instead of seconds: treated as absent (backoff applies).
  }
  return std::nullopt;
}

}  // namespace

std::string percent_encode_segment(std::string_view segment) {
  std::string out;
  for (const unsigned char c : segment) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
    }
  }
  return out;
}

std::string connector_url(std::string_view service_url, std::string_view path) {
  std::string url(service_url);
  if (url.empty() || url.back() != '/')
    url += '/';
  return url + std::string(path);
}

// {serviceUrl}v3/conversations/{conversation}/activities[/{activity}], ids percent-encoded.
static std::string activities_url(const std::string& service_url, const std::string& conversation_id,
                                  const std::string& activity_id = {}) {
  std::string path = "v3/conversations/" + percent_encode_segment(conversation_id) + "/activities";
  if (!activity_id.empty())
    path += "/" + percent_encode_segment(activity_id);
  return connector_url(service_url, path);
}

Connector::Connector(http::HttpClient& client, TokenSource& tokens)
    : client_(client), tokens_(tokens) {}

ConnectorResponse Connector::reply(const std::string& service_url,
                                   const std::string& conversation_id,
                                   const std::string& reply_to_id, const json& activity) {
  json body = activity;
  body["replyToId"] = reply_to_id;
  return call("POST", activities_url(service_url, conversation_id, reply_to_id), body);
}

ConnectorResponse Connector::post(const std::string& service_url,
                                  const std::string& conversation_id, const json& activity) {
  return call("POST", activities_url(service_url, conversation_id), activity);
}

ConnectorResponse Connector::update(const std::string& service_url,
                                    const std::string& conversation_id,
                                    const std::string& activity_id, const json& activity) {
  json body = activity;
  body["id"] = activity_id;
  return call("PUT", activities_url(service_url, conversation_id, activity_id), body);
}

ConnectorResponse Connector::create_personal(const std::string& service_url,
                                             const std::string& bot_id, const std::string& user_id,
                                             const std::string& tenant_id) {
  const json body = {{"bot", {{"id", bot_id}}},
                     {"members", json::array({{{"id", user_id}}})},
                     {"isGroup", false},
                     {"tenantId", tenant_id},
                     {"channelData", {{"tenant", {{"id", tenant_id}}}}}};
  return call("POST", connector_url(service_url, "v3/conversations"), body);
}

ConnectorResponse Connector::call(const std::string& method, const std::string& url,
                                  const json& body) {
  http::ClientRequest request;
  request.method = method;
  request.url = url;
  request.body = body.dump();
  http::ClientResponse response;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto token = tokens_.bearer();
    request.headers = {{"Authorization", "Bearer " + token},
                       {"Content-Type", "application/json; charset=utf-8"}};
    response = client_.send(request);
    if (response.status != 401)
      break;
    // The token was refused (revoked or rotated early): one more try with a fresh one.
    tokens_.invalidate(token);
  }
  ConnectorResponse result;
  result.status = response.status;
  result.retry_after = retry_after_of(response);
  if (const auto id = response.header("X-Correlating-OperationId"))
    result.correlation_id = std::string(*id);
  const json answer = json::parse(response.body, nullptr, false);
  if (answer.is_object()) {
    if (const auto it = answer.find("id"); it != answer.end() && it->is_string())
      result.id = it->get<std::string>();
    if (const auto error = answer.find("error"); error != answer.end() && error->is_object())
      result.error_code = error->value("code", "");
  }
  return result;
}

}  // namespace okr::bot::teams
