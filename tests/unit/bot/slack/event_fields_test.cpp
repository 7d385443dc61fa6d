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

// The reader under read_event_body is our own (json_sax.hpp); each body here is a corner where
// a hand-written JSON reader could accept, refuse or decode differently from nlohmann's.
TEST_CASE("the JSON reader accepts, refuses and decodes every corner as nlohmann does",
          "[slack][event_fields]") {
  using namespace std::string_literals;
  const std::vector<std::string> bodies = {
      // Around the value: byte-order mark, NUL, whitespace, trailing bytes.
      "\xEF\xBB\xBF{\"type\":\"bom\"}",
      "\xEF\xBB{\"type\":\"half a bom\"}",
      " \xEF\xBB\xBF{\"type\":\"bom after a space\"}",
      "{\"type\":\"a\"}\0garbage"s,
      "{\"type\":\"a\"} \0"s,
      "\0{\"type\":\"a\"}"s,
      "{\"type\":\0\"a\"}"s,
      "{\"type\":\"a\0b\"}"s,
      " \t\r\n{ \"type\" : \"spaced\" } \n",
      "{\"type\":\"a\"}\f",
      "{\"type\":\"a\"}}",
      "{\"type\":\"a\",}",
      "[1,]",
      "[,1]",
      "{,}",
      "{\"type\" \"a\"}",
      "{\"type\":}",
      "{type:\"a\"}",
      "{'type':'a'}",
      "{\"type\":\"a\"} // comment",
      "{\"a\":[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]],\"type\":\"deep\"}",
      "[[[[[[[[",
      "{\"a\":{}}",
      "{\"a\":[]}",
      // Literals and numbers.
      "{\"type\":true}", "{\"type\":tru}", "{\"type\":nul}", "{\"type\":falsey}",
      "{\"n\":0}", "{\"n\":-0}", "{\"n\":01}", "{\"n\":-}", "{\"n\":+1}", "{\"n\":.5}",
      "{\"n\":1.}", "{\"n\":1.5e}", "{\"n\":1e+}", "{\"n\":1E-5}", "{\"n\":1e5x}",
      "{\"n\":1e308}", "{\"n\":1e309}", "{\"n\":-1e999}", "{\"n\":1e-999}",
      "{\"n\":18446744073709551616}", "{\"n\":-9223372036854775809}",
      "{\"n\":" + std::string(400, '9') + "}",
      "{\"n\":0." + std::string(400, '9') + "}",
      "{\"n\":1" + std::string(308, '0') + "}",
      "{\"n\":2" + std::string(308, '0') + "}",
      // Strings: escapes, surrogates, UTF-8, control characters.
      R"({"type":"tab\there","event_id":"\"\\\/\b\f\n\r\t"})",
      R"({"type":"\u0041\u00e9\u20AC\ud83d\ude00"})",
      R"({"type":"\u0000"})",
      R"({"type":"\ud83d"})",
      R"({"type":"\ud83dx"})",
      R"({"type":"\ud83d\u0041"})",
      R"({"type":"\ude00"})",
      R"({"type":"\u12"})",
      R"({"type":"\u12G4"})",
      R"({"type":"\x41"})",
      R"({"type":"\)",
      R"({"ev\u0065nt":{"typ\u0065":"message","user":"U\u0031"}})",
      "{\"type\":\"line\nbreak\"}",
      "{\"type\":\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"}",
      "{\"type\":\"\xC0\x80\"}",
      "{\"type\":\"\xC1\xBF\"}",
      "{\"type\":\"\xE0\x80\x80\"}",
      "{\"type\":\"\xE0\xA0\x80\"}",
      "{\"type\":\"\xED\xA0\x80\"}",
      "{\"type\":\"\xED\x9F\xBF\"}",
      "{\"type\":\"\xF0\x8F\xBF\xBF\"}",
      "{\"type\":\"\xF4\x8F\xBF\xBF\"}",
      "{\"type\":\"\xF4\x90\x80\x80\"}",
      "{\"type\":\"\xF5\x80\x80\x80\"}",
      "{\"type\":\"\xE2\x82\"}",
      "{\"type\":\"\xE2\x82",
      "{\"type\":\"\x80\"}",
      "{\"type\":\"unterminated}",
      "{\"type\":\"\x7F\"}",
  };
  for (const auto& body : bodies) {
    INFO(body);
    CHECK(okr::test::same_event_fields(read_event_body(body),
                                       okr::test::event_fields_from_tree(body)));
  }
}
