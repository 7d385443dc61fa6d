#include <string>
#include <variant>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/slack/events.hpp"

using namespace okr::bot::slack;
using nlohmann::json;

namespace {

const OwnIdentity kSelf{"UBOT0001", "BBOT0001"};

json envelope(json event) {
  return {{"token", "deprecated"},
          {"team_id", "T123ABC456"},
          {"api_app_id", "A0APP"},
          {"event", std::move(event)},
          {"type", "event_callback"},
          {"event_id", "Ev08MFMKH6"},
          {"event_time", 1700000000},
          {"authorizations", json::array({{{"enterprise_id", nullptr},
                                           {"team_id", "T123ABC456"},
                                           {"user_id", "UBOT0001"},
                                           {"is_bot", true},
                                           {"is_enterprise_install", false}}})}};
}

json dm(std::string text) {
  return {{"type", "message"},       {"channel", "D0DM1234"},     {"user", "U2PERSON"},
          {"text", std::move(text)}, {"ts", "1700000000.000100"}, {"event_ts", "1700000000.000100"},
          {"channel_type", "im"},    {"client_msg_id", "c0ffee"}};
}

ParsedEvent parse(const json& body) {
  return parse_event(body.dump(), kSelf);
}

template <class T>
const T& as(const ParsedEvent& parsed) {
  if (const auto* error = std::get_if<ParseError>(&parsed)) {
    FAIL("parse error: " << error->message);
  }
  REQUIRE(std::holds_alternative<T>(parsed));
  return std::get<T>(parsed);
}

std::string ignored_reason(const ParsedEvent& parsed) {
  return as<IgnoredEvent>(parsed).reason;  // copied while `parsed` is alive
}

std::string error_of(const ParsedEvent& parsed) {
  REQUIRE(std::holds_alternative<ParseError>(parsed));
  return std::get<ParseError>(parsed).message;
}

}  // namespace

TEST_CASE("url_verification yields the challenge", "[slack][events]") {
  const auto parsed = parse({{"token", "Jhj5dZrVaK7ZwHHjRyZWjbDl"},
                             {"challenge", "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"},
                             {"type", "url_verification"}});
  CHECK(as<UrlVerification>(parsed).challenge ==
        "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
}

TEST_CASE("a direct message becomes a neutral inbound text", "[slack][events]") {
  const auto result = parse(envelope(dm("draft")));
  const auto& message = as<DirectMessage>(result);
  CHECK(message.envelope.event_id == "Ev08MFMKH6");
  CHECK(message.envelope.team_id == "T123ABC456");
  CHECK(message.envelope.event_type == "message");
  CHECK(message.inbound.platform == "slack");
  CHECK(message.inbound.workspace == "T123ABC456");
  CHECK(message.inbound.user == "U2PERSON");
  CHECK(message.inbound.conversation == "D0DM1234");
  CHECK(message.inbound.text == "draft");
  CHECK_FALSE(message.inbound.action.has_value());
}

TEST_CASE("messages from bots, edits and ourselves are ignored", "[slack][events]") {
  auto from_bot = dm("hello");
  from_bot["bot_id"] = "BOTHER01";
  CHECK(ignored_reason(parse(envelope(from_bot))) == "message from a bot");

  auto ours = dm("Here is what I heard");
  ours["user"] = kSelf.bot_user_id;
  CHECK(ignored_reason(parse(envelope(ours))) == "our own message");

  auto edited = dm("changed");
  edited["subtype"] = "message_changed";
  CHECK(ignored_reason(parse(envelope(edited))) == "message subtype message_changed");

  auto bot_message = dm("x");
  bot_message["subtype"] = "bot_message";
  CHECK(std::holds_alternative<IgnoredEvent>(parse(envelope(bot_message))));
}

TEST_CASE("a channel message is not a dialog turn", "[slack][events]") {
  auto in_channel = dm("draft");
  in_channel["channel_type"] = "channel";
  in_channel["channel"] = "C0CHANNEL";
  CHECK(ignored_reason(parse(envelope(in_channel))) == "message outside a direct message");
}

TEST_CASE("an app mention keeps its thread and drops the mention", "[slack][events]") {
  const json mention = {{"type", "app_mention"},         {"user", "U2PERSON"},
                        {"text", "<@UBOT0001> checkin"}, {"ts", "1700000001.000200"},
                        {"channel", "C0CHANNEL"},        {"event_ts", "1700000001.000200"}};
  const auto result = parse(envelope(mention));
  const auto& parsed = as<AppMention>(result);
  CHECK(parsed.inbound.text == "checkin");
  CHECK(parsed.channel == "C0CHANNEL");
  CHECK(parsed.thread_ts == "1700000001.000200");

  auto in_thread = mention;
  in_thread["thread_ts"] = "1699999999.000001";
  const auto threaded = parse(envelope(in_thread));
  CHECK(as<AppMention>(threaded).thread_ts == "1699999999.000001");
}

TEST_CASE("app_home_opened names the person and the tab", "[slack][events]") {
  const json home = {{"type", "app_home_opened"},
                     {"user", "U2PERSON"},
                     {"channel", "D0DM1234"},
                     {"tab", "home"},
                     {"event_ts", "1700000002.000300"}};
  const auto result = parse(envelope(home));
  const auto& parsed = as<HomeOpened>(result);
  CHECK(parsed.user == "U2PERSON");
  CHECK(parsed.channel == "D0DM1234");
  CHECK(parsed.tab == "home");
}

TEST_CASE("unknown event and envelope types are ignored, not errors", "[slack][events]") {
  CHECK(std::holds_alternative<IgnoredEvent>(
      parse(envelope({{"type", "reaction_added"}, {"user", "U2PERSON"}}))));
  CHECK(std::holds_alternative<IgnoredEvent>(parse({{"type", "app_rate_limited"},
                                                    {"team_id", "T123ABC456"},
                                                    {"minute_rate_limited", 1518467820},
                                                    {"api_app_id", "A0APP"}})));
}

TEST_CASE("malformed event bodies name what is wrong", "[slack][events]") {
  CHECK(error_of(parse_event("{not json", kSelf)) == "body is not valid JSON");
  CHECK(error_of(parse_event("[1,2]", kSelf)) == "body is not a JSON object");
  CHECK(error_of(parse({{"event_id", "Ev1"}})) == "envelope without type");
  CHECK(error_of(parse({{"type", "url_verification"}})) == "url_verification without challenge");

  auto no_id = envelope(dm("hi"));
  no_id.erase("event_id");
  CHECK(error_of(parse(no_id)) == "event_callback without event_id");

  auto no_event = envelope(dm("hi"));
  no_event.erase("event");
  CHECK(error_of(parse(no_event)) == "event_callback without event object");

  auto no_user = dm("hi");
  no_user.erase("user");
  CHECK(error_of(parse(envelope(no_user))) == "message event without user");

  auto wrong_type = envelope(dm("hi"));
  wrong_type["event_id"] = 42;
  CHECK(error_of(parse(wrong_type)) == "event_callback without event_id");
}

TEST_CASE("members nobody reads are still checked as JSON and change nothing",
          "[slack][events]") {
  auto event = dm("help");
  event["blocks"] = json::array(
      {{{"type", "rich_text"},
        {"elements", json::array({{{"type", "rich_text_section"},
                                   {"elements", json::array({{{"type", "text"},
                                                              {"text", "help"}}})}}})}}});
  event["files"] = json::array({{{"id", "F1"}, {"user", "USOMEONE"}, {"channel", "C1"}}});
  auto body = envelope(event);
  body["event_context"] = "4-eyJldCI6Im1lc3NhZ2UifQ";
  body["extra"] = {{"type", "not the envelope's"}, {"event", {{"type", "nor the event's"}}}};
  const auto parsed = parse(body);  // kept: `as` returns a reference into it
  const auto& message = as<DirectMessage>(parsed);
  CHECK(message.envelope.event_id == "Ev08MFMKH6");
  CHECK(message.envelope.bot_user_id == "UBOT0001");
  CHECK(message.inbound.user == "U2PERSON");
  CHECK(message.inbound.text == "help");

  // A broken value inside a member that is not read still makes the body malformed.
  std::string broken = body.dump();
  broken.replace(broken.find("\"rich_text\""), 11, "\"rich_text\",]");
  CHECK(error_of(parse_event(broken, kSelf)) == "body is not valid JSON");
}
