#pragma once
// The neutral HTTP request and response every handler sees. No Beast here: handlers and channel
// adapters include this cheaply, and the transport (bot/http/server) translates at the edge.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace okr::bot::http {

struct HttpRequest {
  std::string method;  // as sent, e.g. "GET"
  std::string path;    // target up to '?', not percent-decoded (signatures need the raw form)
  std::string query;   // after '?', raw; empty when absent
  std::vector<std::pair<std::string, std::string>> headers;  // in arrival order
  std::string body;            // raw bytes, exactly as received (Slack signs these)
  std::string remote_address;  // peer IP, for logs and rate limits
  // Values of `{name}` segments in the matched route pattern (see Router).
  std::map<std::string, std::string, std::less<>> path_params;

  // First header with this name, compared case-insensitively (HTTP field names are).
  std::optional<std::string_view> header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type;  // empty: no Content-Type header
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beyond Content-Type/Length
};

// A JSON body `text` (already serialised) with the given status.
HttpResponse json_response(int status, std::string text);
// Every error we answer has this shape: {"error":"<code>","message":"<human sentence>"}.
HttpResponse json_error(int status, std::string_view code, std::string_view message);

bool iequals(std::string_view a, std::string_view b);

}  // namespace okr::bot::http
