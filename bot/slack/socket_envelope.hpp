#pragma once
// The frames of Slack's Socket Mode protocol, as text in and text out. No sockets here: the
// connection (socket_link.hpp) moves frames, the client (socket_mode.hpp) decides what to do.
//
// From Slack: `hello` once a connection is ready; `disconnect` with a reason (`warning` a few
// seconds before Slack closes it, `refresh_requested`, `link_disabled` when Socket Mode was
// turned off); and data envelopes `{"envelope_id", "type", "payload",
// "accepts_response_payload"}` of type `events_api`, `slash_commands` or `interactive`, whose
// payload is what the HTTP request would have carried. Each envelope is acknowledged with
// `{"envelope_id": ...}`, plus `"payload"` only when Slack accepts one.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace okr::bot::slack {

struct SocketHello {
  int num_connections = 0;
  // Slack's estimate of how long this connection will live before a refresh (debug_info).
  std::optional<long long> approximate_connection_seconds;
};

struct SocketDisconnect {
  std::string reason;  // "warning", "refresh_requested", "link_disabled", ...
};

struct SocketEnvelope {
  std::string envelope_id;
  std::string type;  // "events_api", "slash_commands", "interactive", or one we do not know
  nlohmann::json payload;
  bool accepts_response_payload = false;
};

// A frame we cannot use (not JSON, no type, an envelope without id): logged, not acknowledged.
struct SocketUnreadable {
  std::string why;
};

using SocketFrame = std::variant<SocketHello, SocketDisconnect, SocketEnvelope, SocketUnreadable>;

SocketFrame parse_socket_frame(std::string_view text);

// The acknowledgement of `envelope_id`. `response` (a JSON object as text, e.g. help text or
// modal errors) is included only when the envelope accepts a response payload.
std::string socket_ack(const SocketEnvelope& envelope, std::string_view response);

// The HTTP body Slack would have posted for this payload: slash command fields form-encoded;
// interactivity as the form field `payload` holding the JSON; events as the JSON itself. The
// one parser per kind then reads it, so Socket Mode and HTTP cannot drift apart.
std::string http_body_of(const SocketEnvelope& envelope);

}  // namespace okr::bot::slack
