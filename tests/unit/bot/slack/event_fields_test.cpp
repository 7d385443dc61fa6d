// The one-pass reader of Events API bodies against the tree it replaced
// (tests/support/event_fields_reference.hpp): the same members, whatever the body's shape.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "bot/slack/event_fields.hpp"
#include "tests/support/event_fields_reference.hpp"

using okr::bot::slack::EventBodyFields;
using okr::bot::slack::read_event_body;

namespace {

const std::string kMessage =
    R"({"token":"x","team_id":"T1","api_app_id":"A1","event":{"type":"message","channel":"D1",)"
    R"("user":"U2","text":"help \"me\" \u00e9 \ud83c\udfaf","ts":"1.2","channel_type":"im",)"
    R"("blocks":[{"type":"rich_text","elements":[{"type":"rich_text_section","elements":)"
    R"([{"type":"text","text":"help"}]}]}]},"type":"event_callback","event_id":"Ev1",)"
    R"("event_time":1700000000,"authorizations":[{"enterprise_id":null,"team_id":"T1",)"
    R"("user_id":"UBOT","is_bot":true,"is_enterprise_install":false}]})";

}  // namespace

TEST_CASE("a message event's members are read, blocks and all skipped", "[slack][event_fields]") {
  const auto fields = read_event_body(kMessage);
  REQUIRE(fields.shape == EventBodyFields::Shape::object);
  CHECK(fields.type == "event_callback");
  CHECK(fields.event_id == "Ev1");
  CHECK(fields.team_id == "T1");
  CHECK(fields.authorized_bot == "UBOT");
  REQUIRE(fields.event);
  CHECK(fields.event->type == "message");  // not the blocks' "rich_text" or "text"
  CHECK(fields.event->text == "help \"me\" \u00e9 \U0001F3AF");
  CHECK(fields.event->channel_type == "im");
  CHECK_FALSE(fields.event->has_bot_id);
  CHECK(okr::test::same_event_fields(fields, okr::test::event_fields_from_tree(kMessage)));
}

TEST_CASE("every body reads as the tree reads it: duplicates, wrong types, nesting, refusals",
          "[slack][event_fields]") {
  const std::vector<std::string> bodies = {
      kMessage,
      "",
      "{not json",
      "[1,2]",
      "\"a string\"",
      "42",
      "null",
      "{}",
      R"({"type":"url_verification","challenge":"abc"})",
      R"({"type":"url_verification","challenge":7})",
      R"({"type":5})",
      R"({"type":"a","type":"b"})",
      R"({"type":"a","type":null})",
      R"({"event":{"type":"message","user":"U1"},"event":{"type":"app_mention"}})",
      R"({"event":{"type":"message"},"event":"not an object"})",
      R"({"event":[{"type":"message"}]})",
      R"({"event":{"type":"message","bot_id":null,"bot_profile":{}}})",
      R"({"event":{"user":{"id":"U1"},"text":["x"],"channel":false}})",
      R"({"event":{"type":"tokens_revoked","tokens":{"oauth":["U1"],"bot":[]}}})",
      R"({"event":{"type":"tokens_revoked","tokens":{"oauth":["U1"],"bot":["B1",{"x":[1]},2]}}})",
      R"({"event":{"type":"tokens_revoked","tokens":{"bot":["B1"],"bot":"B2"}}})",
      R"({"event":{"type":"tokens_revoked","tokens":[]}})",
      R"({"event":{"tokens":{"bot":["B1"]},"tokens":{"oauth":[]}}})",
      R"({"authorizations":[{"is_bot":false,"user_id":"U1"},{"is_bot":true},)"
      R"({"is_bot":true,"user_id":"U3"}]})",
      R"({"authorizations":["x",{"is_bot":"true","user_id":"U1"},{"user_id":"U2","is_bot":true}]})",
      R"({"authorizations":[{"is_bot":true,"user_id":"U1","is_bot":false},{"is_bot":true,"user_id":"U2"}]})",
      R"({"authorizations":[{"is_bot":true,"user_id":"U1"}],"authorizations":[]})",
      R"({"authorizations":{"is_bot":true,"user_id":"U1"}})",
      R"({"nested":{"event":{"type":"message"},"type":"inner"},"type":"outer"})",
      R"({"type":"event_callback","event_id":"Ev1","team_id":"T1","event":{}})",
      R"({"type":"event_callback"} trailing)",
      R"({"text":"bad \ud800 surrogate"})",
      "{\"text\":\"raw \xff byte\"}",
  };
  for (const auto& body : bodies) {
    INFO(body);
    CHECK(okr::test::same_event_fields(read_event_body(body),
                                       okr::test::event_fields_from_tree(body)));
  }
}
