#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "storage/json_text.hpp"

using okr::storage::append_json_string;
using okr::storage::FlatJsonObject;

namespace {

std::string literal(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

// What nlohmann::json reads back from the literal.
std::string read_back(std::string_view text) {
  return nlohmann::json::parse(literal(text)).get<std::string>();
}

}  // namespace

TEST_CASE("a JSON string literal escapes quotes, backslashes and control characters",
          "[json_text]") {
  CHECK(literal("plain") == "\"plain\"");
  CHECK(literal("say \"hi\" \\ bye") == R"("say \"hi\" \\ bye")");
  CHECK(literal("a\nb\tc\rd\be\ff") == R"("a\nb\tc\rd\be\ff")");
  CHECK(literal(std::string("x\x01y\x1fz", 5)) == R"("x\u0001y\u001fz")");
  CHECK(literal(std::string("nul\0in", 6)) == R"("nul\u0000in")");
  CHECK(literal("") == "\"\"");
}

TEST_CASE("valid UTF-8 is written as it is and reads back the same", "[json_text]") {
  const std::string text = "Grüße, 日本語, emoji 🎯, and a DEL \x7f";
  CHECK(literal(text) == "\"" + text + "\"");
  CHECK(read_back(text) == text);
}

TEST_CASE("a byte that starts no valid UTF-8 sequence becomes U+FFFD, so the text reads back",
          "[json_text]") {
  const std::string replacement = "\xEF\xBF\xBD";
  CHECK(read_back("bad \xff byte") == "bad " + replacement + " byte");
  CHECK(read_back("cut short \xE2\x82") == "cut short " + replacement + replacement);
  CHECK(read_back("overlong \xC0\xAF") == "overlong " + replacement + replacement);
  CHECK(read_back("surrogate \xED\xA0\x80") ==
        "surrogate " + replacement + replacement + replacement);
  CHECK(read_back("too high \xF4\x90\x80\x80") ==
        "too high " + replacement + replacement + replacement + replacement);
  CHECK(read_back("stray continuation \x80!") == "stray continuation " + replacement + "!");
}

TEST_CASE("a flat object keeps its members in order and nests objects given as JSON",
          "[json_text]") {
  FlatJsonObject inner;
  inner.add("id", "summary").add("value", "edit");
  FlatJsonObject outer;
  outer.add("user", "U1").add("text", "line one\nline \"two\"").add_json("action", inner.take());
  const std::string text = outer.take();
  CHECK(
      text ==
      R"({"user":"U1","text":"line one\nline \"two\"","action":{"id":"summary","value":"edit"}})");
  const auto parsed = nlohmann::json::parse(text);
  CHECK(parsed["text"] == "line one\nline \"two\"");
  CHECK(parsed["action"]["value"] == "edit");
  CHECK(outer.take() == "{}");  // taken: the builder starts over
}
