// How typed answers are read: numbers in free text, scores, times, zones and choices.
#include <catch2/catch.hpp>

#include "dialogs/answer.hpp"

using namespace okr::dialogs;

namespace {
Node ask(Validator v) {
  Node n;
  n.id = "q";
  n.kind = NodeKind::ask;
  n.validator = v;
  return n;
}
}  // namespace

TEST_CASE("the first number in free text is found with separators, decimals and suffixes") {
  CHECK(first_number("about 1,200 users") == Approx(1200));
  CHECK(first_number("0,7") == Approx(0.7));
  CHECK(first_number("40%") == Approx(40));
  CHECK(first_number("2.5k a month") == Approx(2500));
  CHECK(first_number("3M ARR") == Approx(3'000'000));
  CHECK(first_number("-3 points") == Approx(-3));
  CHECK(first_number("version 2-3") == Approx(2));
  CHECK_FALSE(first_number("no idea yet").has_value());
}

TEST_CASE("a number answer respects min and max") {
  Node n = ask(Validator::number);
  n.min = 0;
  n.max = 100;
  CHECK(read_answer(n, "42")->value == 42.0);
  CHECK_FALSE(read_answer(n, "101"));
  CHECK_FALSE(read_answer(n, "lots"));
}

TEST_CASE("a scale answer is a whole number in range") {
  Node n = ask(Validator::scale);
  CHECK(read_answer(n, "7")->value == 7);
  CHECK(read_answer(n, "7/10")->value == 7);
  CHECK_FALSE(read_answer(n, "7.5"));
  CHECK_FALSE(read_answer(n, "0"));
  CHECK_FALSE(read_answer(n, "11"));
}

TEST_CASE("a score reads 0.0-1.0, percentages and whole percents") {
  Node n = ask(Validator::score);
  CHECK(read_answer(n, "0.7")->value == Approx(0.7));
  CHECK(read_answer(n, "70%")->value == Approx(0.7));
  CHECK(read_answer(n, "65")->value == Approx(0.65));
  CHECK(read_answer(n, "1")->value == Approx(1.0));
  CHECK_FALSE(read_answer(n, "150"));
  CHECK_FALSE(read_answer(n, "good"));
}

TEST_CASE("a time is normalised to HH:MM and impossible times are refused") {
  Node n = ask(Validator::time);
  CHECK(read_answer(n, "9:30")->value == "09:30");
  CHECK(read_answer(n, "9")->value == "09:00");
  CHECK(read_answer(n, "16:00")->value == "16:00");
  CHECK_FALSE(read_answer(n, "24:00"));
  CHECK_FALSE(read_answer(n, "9:75"));
  CHECK_FALSE(read_answer(n, "noon"));
}

TEST_CASE("a time zone must be one the zone database knows") {
  Node n = ask(Validator::time_zone);
  CHECK(read_answer(n, "Europe/Berlin")->value == "Europe/Berlin");
  CHECK(read_answer(n, "utc")->value == "UTC");
  CHECK_FALSE(read_answer(n, "Mars/Olympus"));
}

TEST_CASE("yes/no questions offer Yes and No and store true or false") {
  Node n = ask(Validator::yes_no);
  const auto choices = choices_of(n);
  REQUIRE(choices.size() == 2);
  CHECK(choices[0].label == "Yes");
  CHECK(choices[1].number == 2);
  CHECK(read_answer(n, "Yes")->value == true);
  CHECK(read_answer(n, "y")->value == true);
  CHECK(read_answer(n, "2")->value == false);
  CHECK(read_answer(n, "nope")->value == false);
  CHECK_FALSE(read_answer(n, "maybe"));
}

TEST_CASE("a choice is matched by number, id, label or word, and carries its next node") {
  Node n = ask(Validator::choice);
  n.choices = {{"green", "Green tea", {"matcha"}, "brew"}, {"black", "Black tea", {}, ""}};
  CHECK(read_answer(n, "1")->value == "green");
  CHECK(read_answer(n, "1")->next == "brew");
  CHECK(read_answer(n, "green tea.")->value == "green");
  CHECK(read_answer(n, "MATCHA")->value == "green");
  CHECK(read_answer(n, "black")->next.empty());
  CHECK_FALSE(read_answer(n, "3"));
  CHECK_FALSE(read_answer(n, "coffee"));
}

TEST_CASE("a text answer is trimmed and an empty one is refused") {
  Node n = ask(Validator::text);
  CHECK(read_answer(n, "  Grow the community  ")->value == "Grow the community");
  CHECK_FALSE(read_answer(n, "   "));
}
