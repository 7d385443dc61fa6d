#include "bot/slack/socket_envelope.hpp"

#include "bot/slack/form.hpp"

namespace okr::bot::slack {
namespace {

using nlohmann::json;

std::string string_at(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A slash command's fields as Slack would have form-encoded them: strings as they are, other
// scalars as their JSON text (`true`, `3`); nested values are not part of a command.
std::string form_of(const json& fields) {
  std::string body;
  for (const auto& [name, value] : fields.items()) {
    std::string text;
    if (value.is_string())
      text = value.get<std::string>();
    else if (value.is_primitive() && !value.is_null())
      text = value.dump();
    else
      continue;
    if (!body.empty())
      body += '&';
    body += form_encode(name) + "=" + form_encode(text);
  }
  return body;
}

}  // namespace

SocketFrame parse_socket_frame(std::string_view text) {
  const json frame = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (frame.is_discarded() || !frame.is_object())
    return SocketUnreadable{"frame is not a JSON object"};
  const std::string type = string_at(frame, "type");
  if (type.empty())
    return SocketUnreadable{"frame without type"};
  if (type == "hello") {
    SocketHello hello;
    if (const auto n = frame.find("num_connections"); n != frame.end() && n->is_number_integer())
      hello.num_connections = n->get<int>();
    if (const auto debug = frame.find("debug_info"); debug != frame.end() && debug->is_object()) {
      if (const auto t = debug->find("approximate_connection_time");
          t != debug->end() && t->is_number_integer())
        hello.approximate_connection_seconds = t->get<long long>();
    }
    return hello;
  }
  if (type == "disconnect")
    return SocketDisconnect{string_at(frame, "reason")};
  SocketEnvelope envelope;
  envelope.envelope_id = string_at(frame, "envelope_id");
  if (envelope.envelope_id.empty())
    return SocketUnreadable{"frame of type " + type + " without envelope_id"};
  envelope.type = type;
  if (const auto payload = frame.find("payload"); payload != frame.end())
    envelope.payload = *payload;
  if (const auto accepts = frame.find("accepts_response_payload");
      accepts != frame.end() && accepts->is_boolean())
    envelope.accepts_response_payload = accepts->get<bool>();
  return envelope;
}

std::string socket_ack(const SocketEnvelope& envelope, std::string_view response) {
  json ack{{"envelope_id", envelope.envelope_id}};
  if (envelope.accepts_response_payload && !response.empty()) {
    json payload = json::parse(response, nullptr, /*allow_exceptions=*/false);
    if (!payload.is_discarded())
      ack["payload"] = std::move(payload);
  }
  return ack.dump();
}

std::string http_body_of(const SocketEnvelope& envelope) {
  if (envelope.type == "slash_commands")
    return envelope.payload.is_object() ? form_of(envelope.payload) : std::string();
  if (envelope.type == "interactive")
    return "payload=" + form_encode(envelope.payload.dump());
  return envelope.payload.dump();
}

}  // namespace okr::bot::slack
