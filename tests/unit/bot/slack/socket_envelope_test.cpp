#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/slack/commands.hpp"
#include "bot/slack/form.hpp"
#include "bot/slack/interactive.hpp"
#include "bot/slack/socket_envelope.hpp"

using namespace okr::bot::slack;
using nlohmann::json;

TEST_CASE("Socket Mode frames are read as hello, disconnect, envelope or unreadable",
          "[slack][socket]") {
  const auto hello = parse_socket_frame(
      R"({"type":"hello","num_connections":2,"debug_info":{"approximate_connection_time":3600}})");
  REQUIRE(std::holds_alternative<SocketHello>(hello));
  CHECK(std::get<SocketHello>(hello).num_connections == 2);
  CHECK(std::get<SocketHello>(hello).approximate_connection_seconds == 3600);

  const auto disconnect = parse_socket_frame(R"({"type":"disconnect","reason":"warning"})");
  REQUIRE(std::holds_alternative<SocketDisconnect>(disconnect));
  CHECK(std::get<SocketDisconnect>(disconnect).reason == "warning");

  const auto envelope = parse_socket_frame(
      R"({"envelope_id":"e1","type":"events_api","payload":{"event_id":"Ev1"},"accepts_response_payload":false})");
  REQUIRE(std::holds_alternative<SocketEnvelope>(envelope));
  CHECK(std::get<SocketEnvelope>(envelope).envelope_id == "e1");
  CHECK(std::get<SocketEnvelope>(envelope).type == "events_api");
  CHECK(std::get<SocketEnvelope>(envelope).payload.at("event_id") == "Ev1");
  CHECK_FALSE(std::get<SocketEnvelope>(envelope).accepts_response_payload);

  CHECK(std::holds_alternative<SocketUnreadable>(parse_socket_frame("not json")));
  CHECK(std::holds_alternative<SocketUnreadable>(parse_socket_frame(R"({"envelope_id":"e"})")));
  CHECK(std::holds_alternative<SocketUnreadable>(
      parse_socket_frame(R"({"type":"slash_commands","payload":{}})")));
}

TEST_CASE("an ack names the envelope and carries a payload only where Slack accepts one",
          "[slack][socket]") {
  SocketEnvelope envelope;
  envelope.envelope_id = "e-42";
  envelope.accepts_response_payload = true;
  const auto with = json::parse(socket_ack(envelope, R"({"text":"hi"})"));
  CHECK(with == json{{"envelope_id", "e-42"}, {"payload", {{"text", "hi"}}}});
  CHECK(json::parse(socket_ack(envelope, "")) == json{{"envelope_id", "e-42"}});
  envelope.accepts_response_payload = false;
  CHECK(json::parse(socket_ack(envelope, R"({"text":"hi"})")) == json{{"envelope_id", "e-42"}});
}

TEST_CASE("a Socket Mode payload becomes the body the HTTP route's parser reads",
          "[slack][socket]") {
  SocketEnvelope command;
  command.type = "slash_commands";
  command.payload = {{"team_id", "T1"},        {"user_id", "U1"},
                     {"command", "/okr"},      {"text", "schedule reflect for <@U2|bo> & fri"},
                     {"trigger_id", "t.1"},    {"response_url", "https://hooks.example/x?a=1"},
                     {"is_enterprise_install", false}};
  const auto parsed = parse_command(http_body_of(command));
  REQUIRE(std::holds_alternative<SlashCommand>(parsed));
  const auto& slash = std::get<SlashCommand>(parsed);
  CHECK(slash.subcommand == OkrSubcommand::schedule);
  CHECK(slash.text == "schedule reflect for <@U2|bo> & fri");
  CHECK(slash.response_url == "https://hooks.example/x?a=1");
  CHECK(slash.trigger_id == "t.1");

  SocketEnvelope click;
  click.type = "interactive";
  click.payload = {{"type", "view_submission"},
                   {"user", {{"id", "U1"}}},
                   {"team", {{"id", "T1"}}},
                   {"view", {{"id", "V1"}, {"callback_id", "cb & more"}}}};
  const auto interaction = parse_interaction(http_body_of(click));
  REQUIRE(std::holds_alternative<ViewSubmission>(interaction));
  CHECK(std::get<ViewSubmission>(interaction).callback_id == "cb & more");

  SocketEnvelope event;
  event.type = "events_api";
  event.payload = {{"type", "event_callback"}, {"event_id", "Ev9"}};
  CHECK(json::parse(http_body_of(event)) == event.payload);
}
