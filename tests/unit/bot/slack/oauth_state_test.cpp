// The OAuth install state: single use, ten minutes, bound to the browser by a signed cookie.
#include <catch2/catch.hpp>

#include "bot/slack/oauth_routes.hpp"
#include "bot/slack/oauth_state.hpp"

using okr::bot::slack::InstallStates;
using okr::bot::slack::StateCheck;

namespace {

struct ManualClock {
  okr::dialogs::TimePoint now{std::chrono::seconds(1'700'000'000)};
  okr::bot::pipeline::Clock clock() {
    return [this] { return now; };
  }
};

}  // namespace

TEST_CASE("an install state is accepted once, with its own cookie", "[slack][oauth]") {
  ManualClock time;
  InstallStates states(time.clock());
  const auto issued = states.issue();
  CHECK(issued.state.size() >= 32);
  CHECK(issued.cookie.starts_with(issued.state + "."));
  CHECK(states.consume(issued.state, issued.cookie) == StateCheck::ok);
  CHECK(states.consume(issued.state, issued.cookie) == StateCheck::unknown);
}

TEST_CASE("an install state fails without the browser's cookie or with another's",
          "[slack][oauth]") {
  ManualClock time;
  InstallStates states(time.clock());
  const auto mine = states.issue();
  const auto theirs = states.issue();
  CHECK(states.consume(mine.state, std::nullopt) == StateCheck::no_cookie);
  CHECK(states.consume(theirs.state, mine.cookie) == StateCheck::wrong_cookie);
  // A failed check uses the state up too: it cannot be tried again with a better guess.
  CHECK(states.consume(theirs.state, theirs.cookie) == StateCheck::unknown);
  CHECK(states.consume("made-up", mine.cookie) == StateCheck::unknown);
}

TEST_CASE("an install state older than ten minutes has expired", "[slack][oauth]") {
  ManualClock time;
  InstallStates states(time.clock());
  const auto issued = states.issue();
  time.now += InstallStates::kLifetime;
  CHECK(states.consume(issued.state, issued.cookie) == StateCheck::expired);
}

TEST_CASE("a cookie signed by another process does not pass", "[slack][oauth]") {
  ManualClock time;
  InstallStates first(time.clock());
  InstallStates second(time.clock());
  const auto issued = first.issue();
  const auto other = second.issue();
  // Same state text, signature from the other process's key.
  const std::string forged = issued.state + other.cookie.substr(other.cookie.find('.'));
  CHECK(first.consume(issued.state, forged) == StateCheck::wrong_cookie);
}

TEST_CASE("Slack's authorize page sits next to its Web API", "[slack][oauth]") {
  using okr::bot::slack::authorize_url_for;
  CHECK(authorize_url_for("https://slack.com/api/") == "https://slack.com/oauth/v2/authorize");
  CHECK(authorize_url_for("http://127.0.0.1:4000/api") ==
        "http://127.0.0.1:4000/oauth/v2/authorize");
}
