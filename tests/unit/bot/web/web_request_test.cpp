#include <catch2/catch.hpp>

#include "bot/web/web_request.hpp"

using okr::bot::web::parse_after;
using okr::bot::web::parse_web_post;

TEST_CASE("typed text is trimmed and kept as the person's line", "[web]") {
  const auto parsed = parse_web_post(R"({"text": "  draft \n", "client_id": "a-1_B"})");
  REQUIRE(parsed.post);
  CHECK(parsed.post->text == "draft");
  CHECK(parsed.post->shown == "draft");
  CHECK(parsed.post->client_id == "a-1_B");
  CHECK_FALSE(parsed.post->action);
}

TEST_CASE("a click becomes an action and the log keeps its label", "[web]") {
  const auto parsed =
      parse_web_post(R"({"action": {"id": "summary", "value": "confirm", "label": "Confirm"}})");
  REQUIRE(parsed.post);
  REQUIRE(parsed.post->action);
  CHECK(parsed.post->action->id == "summary");
  CHECK(parsed.post->action->value == "confirm");
  CHECK(parsed.post->shown == "Confirm");
  CHECK(parsed.post->text.empty());

  const auto unlabelled = parse_web_post(R"({"action": {"id": "kr_confidence", "value": "7"}})");
  REQUIRE(unlabelled.post);
  CHECK(unlabelled.post->shown == "7");
}

TEST_CASE("each malformed body is refused with a sentence naming the problem", "[web]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{not json", "The body is not valid JSON."},
      {"[1,2]", "The body must be a JSON object with \"text\" or \"action\"."},
      {"{}", "Send exactly one of \"text\" or \"action\"."},
      {R"({"text":"a","action":{"id":"x","value":"y"}})", "Send exactly one of \"text\" or \"action\"."},
      {R"({"text": 5})", "\"text\" must be a string."},
      {R"({"text": "   "})", "\"text\" is empty."},
      {R"({"text": "hi", "client_id": "has space"})",
       "\"client_id\" must be 1 to 64 letters, digits, '-' or '_'."},
      {R"({"action": "confirm"})",
       "\"action\" must be an object with string fields \"id\" and \"value\"."},
      {R"({"action": {"id": "x", "value": 3}})",
       "\"action\" must be an object with string fields \"id\" and \"value\"."},
  };
  for (const auto& [body, problem] : cases) {
    INFO(body);
    const auto parsed = parse_web_post(body);
    CHECK_FALSE(parsed.post);
    CHECK(parsed.problem == problem);
  }
  const auto long_text = parse_web_post(R"({"text": ")" + std::string(4001, 'a') + R"("})");
  CHECK_FALSE(long_text.post);
  CHECK(long_text.problem.find("longer than 4000") != std::string::npos);
}

TEST_CASE("the poll position is a whole number, 0 when absent", "[web]") {
  std::string problem;
  CHECK(parse_after("", problem) == 0);
  CHECK(parse_after("after=42", problem) == 42);
  CHECK(parse_after("x=1&after=7", problem) == 7);
  CHECK_FALSE(parse_after("after=", problem));
  CHECK_FALSE(parse_after("after=-1", problem));
  CHECK_FALSE(parse_after("after=12abc", problem));
  CHECK(problem.find("after") != std::string::npos);
}
