// Whole coaching dialogs scripted through the real `okr-coach chat` binary against a database
// file in a temporary directory. Every step waits for the coach's line that should come next,
// never for time, so the script is exactly the conversation a person would have.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using okr::test::Process;
using okr::test::Stream;
using okr::test::TempDir;

namespace {

// One run of `okr-coach chat` as one person.
class Chat {
 public:
  Chat(const TempDir& dir, const std::string& user, const std::string& team = "")
      : process_(okr::test::okr_coach_binary(), okr::test::okr_coach_options(args(dir, user, team))) {}

  // Types one line, as the person would.
  void say(const std::string& line) {
    INFO("saying: " << line << "\n--- stdout so far:\n" << process_.out() << "\n--- stderr:\n" << process_.err());
    REQUIRE(process_.write_stdin(line + "\n"));
  }

  // Waits for the next coach line containing `needle` and returns it.
  std::string expect(const std::string& needle) { return expect_any({needle}).second; }

  // Waits for the next coach line containing any of `needles`; returns {which, line}. Lines are
  // read in order from our own cursor, so a line is never skipped by looking for another.
  std::pair<std::size_t, std::string> expect_any(const std::vector<std::string>& needles) {
    const auto until = std::chrono::steady_clock::now() + okr::test::kProcessDeadline;
    while (true) {
      const std::string& out = process_.out();
      for (auto newline = out.find('\n', cursor_); newline != std::string::npos;
           newline = out.find('\n', cursor_)) {
        std::string line = out.substr(cursor_, newline - cursor_);
        cursor_ = newline + 1;
        for (std::size_t i = 0; i < needles.size(); ++i) {
          if (line.find(needles[i]) != std::string::npos) return {i, line};
        }
      }
      if (std::chrono::steady_clock::now() >= until) break;
      // Reads the pipe until one more line arrives (an empty needle matches any line; the
      // process keeps its own cursor, which we do not rely on). Nullopt: stdout closed.
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (!process_.wait_for_line("", Stream::out, left) && out.find('\n', cursor_) == std::string::npos) break;
    }
    INFO("waiting for: " << needles.front() << (needles.size() > 1 ? " (or others)" : "")
                         << "\n--- stdout so far:\n" << process_.out() << "\n--- stderr:\n" << process_.err());
    FAIL("the expected line did not come");
    return {};
  }

  // Ends the input like a pipe closing; returns the exit code.
  int finish() {
    process_.close_stdin();
    const auto code = process_.wait_exit();
    INFO("--- stderr:\n" << process_.err());
    REQUIRE(code.has_value());
    return *code;
  }

  // Ends the process the hard way, with no chance to clean up.
  void kill() {
    process_.send_signal(SIGKILL);
    const auto code = process_.wait_exit();
    REQUIRE(code.has_value());
    CHECK(*code == 128 + SIGKILL);
  }

  const std::string& out() const { return process_.out(); }

 private:
  static std::vector<std::string> args(const TempDir& dir, const std::string& user, const std::string& team) {
    std::vector<std::string> a = {"chat", "--db", (dir / "okr-coach.db").string(), "--user", user};
    if (!team.empty()) {
      a.push_back("--team");
      a.push_back(team);
    }
    return a;
  }
  Process process_;
  std::size_t cursor_ = 0;  // start of the first stdout line not yet looked at
};

}  // namespace

TEST_CASE("chat greets the person, answers help and exits 0 at the end of input", "[chat]") {
  TempDir dir;
  Chat chat(dir, "ada");
  chat.expect("Hello ada");
  chat.say("help");
  chat.expect("Here is what we can do together");
  chat.expect("draft");
  CHECK(chat.finish() == 0);
}

TEST_CASE("the first member of a new team is told they are its coach and admin", "[chat]") {
  TempDir dir;
  {
    Chat founder(dir, "ada", "Platform");
    founder.expect("first member of team Platform");
    CHECK(founder.finish() == 0);
  }
  Chat second(dir, "bob", "Platform");
  second.expect("Hello bob");
  CHECK(second.finish() == 0);
  CHECK(second.out().find("first member") == std::string::npos);
}

namespace {

// The drafting conversation up to its first summary, answering the coach's follow-up on the
// vague key result ("Happier customers") with a measurable one and keeping anything else.
void draft_until_summary(Chat& chat) {
  chat.say("draft");
  chat.expect("What do you want to achieve this cycle?");
  chat.say("I want to help new customers succeed in their first week.");
  chat.expect("Why does that matter to you, and why now?");
  chat.say("Half of our churn happens in the first month");
  chat.expect("How will you know you got there?");
  // Sent one sign per message, as people do in a chat; the first names its own baseline, so
  // the coach only asks where things stand for the second.
  chat.say("Raise week-one activation from 40% to 60%");
  chat.expect("What else would tell you");
  chat.say("Happier customers");
  chat.expect("What else would tell you");
  chat.say("done");
  chat.expect("Where are you today on \"Happier customers\"");
  chat.say("I don't know yet");
  chat.expect("What might get in the way?");
  chat.say("Support is stretched thin");
  chat.expect("What support would help you");
  chat.say("Two days of design time from Sam");

  int followups = 0;
  bool reworded = false;
  for (int round = 0; round < 8; ++round) {
    const auto [which, line] = chat.expect_any({"(Or type keep", "Here is what I heard"});
    if (which == 1) break;
    ++followups;
    if (!reworded && line.find("appier customers") != std::string::npos) {
      chat.say("NPS from 30 to 45");
      reworded = true;
    } else {
      chat.say("keep");
    }
  }
  CHECK(followups >= 1);  // the vague key result got at least one coaching question
  CHECK(reworded);
}

}  // namespace

TEST_CASE("a whole OKR cycle in the terminal: draft, edit, confirm, list, check in twice, reflect, draft again",
          "[chat]") {
  TempDir dir;
  Chat chat(dir, "ada", "Growth");

  draft_until_summary(chat);
  chat.expect("Objective: Help new customers succeed in their first week");
  chat.expect("1) Confirm");
  // Correct the summary before saving: the objective in other words.
  chat.say("2");
  chat.expect("Which part would you like to change?");
  chat.say("1");
  chat.expect("How would you put what you want now?");
  chat.say("New customers feel at home in their first week");
  chat.expect("Here is what I heard");
  chat.expect("Objective: New customers feel at home in their first week");
  chat.say("yes");
  chat.expect("Saved. \"New customers feel at home in their first week\"");

  chat.say("okrs");
  chat.expect("Here is where your OKRs stand.");
  chat.expect("New customers feel at home in their first week");
  chat.expect("Raise week-one activation from 40% to 60%");

  // First check-in.
  chat.say("checkin");
  chat.expect("where does it stand now?");
  chat.say("45");
  chat.expect("How confident are you");
  chat.say("6");
  chat.expect("where does it stand now?");
  chat.say("33");
  chat.expect("How confident are you");
  chat.say("5");
  chat.expect("What moved things this week?");
  chat.say("The new welcome email");
  chat.expect("Is anything in your way?");
  chat.say("Nothing");
  chat.expect("focus on next week?");
  chat.say("The signup form");
  chat.expect("Here's your check-in as I understood it");
  chat.say("yes");
  chat.expect("Saved. Thanks for checking in");

  // Second check-in: the coach remembers the last one and shows the change.
  chat.say("checkin");
  chat.expect("Last time: 45");
  chat.say("52");
  chat.expect("How confident are you");
  chat.say("7");
  chat.expect("Last time: 33");
  chat.say("38");
  chat.expect("How confident are you");
  chat.say("6");
  chat.expect("What moved things this week?");
  chat.say("Onboarding calls");
  chat.expect("Is anything in your way?");
  chat.say("Analytics are late");
  chat.expect("focus on next week?");
  chat.say("Fix the tracking");
  chat.expect("Here's your check-in as I understood it");
  chat.expect(" pts");  // progress change since the last check-in
  chat.say("yes");
  chat.expect("Saved. Thanks for checking in");

  // The list shows where things stand after the check-ins.
  chat.say("okrs");
  chat.expect("Here is where your OKRs stand.");
  CHECK_THAT(chat.expect("Raise week-one activation"), Catch::Contains("confidence 7/10"));

  // Reflection at the end of the cycle.
  chat.say("reflect");
  chat.expect("How would you score");
  chat.say("0.6");
  chat.expect("How would you score");
  chat.say("0.4");
  chat.expect("what did you learn?");
  chat.say("Small experiments beat big launches");
  chat.expect("What went well?");
  chat.say("Weekly demos");
  chat.expect("What would you do differently next time?");
  chat.say("Ask support for input earlier");
  chat.expect("habit you'd like to stop?");
  chat.say("Starting new work on Fridays");
  chat.expect("carry into the next cycle?");
  chat.say("The weekly activation review");
  chat.expect("May your coach read this reflection?");
  chat.say("yes");
  chat.expect("Here is what I heard from your reflection");
  chat.say("yes");
  chat.expect("Saved. When you draft next cycle's OKRs");

  // The next draft brings the reflection back.
  chat.say("draft");
  const auto carry = chat.expect("Before we start");
  CHECK_THAT(carry, Catch::Contains("The weekly activation review"));
  CHECK_THAT(carry, Catch::Contains("Starting new work on Fridays"));
  CHECK(chat.finish() == 0);
}

TEST_CASE("a chat killed mid-dialog resumes at the same question on restart", "[chat]") {
  TempDir dir;
  {
    Chat first(dir, "ada");
    first.say("draft");
    first.expect("What do you want to achieve this cycle?");
    first.say("Calm, boring releases");
    first.expect("Why does that matter to you, and why now?");
    first.kill();
  }
  Chat again(dir, "ada");
  again.expect("Welcome back, ada");
  again.expect("Why does that matter to you, and why now?");
  again.say("Outages cost us our weekends");
  again.expect("How will you know you got there?");
  CHECK(again.finish() == 0);

  // And the answer given before the kill was kept: it is in the summary of what we have so far.
  Chat third(dir, "ada");
  third.expect("Welcome back, ada");
  third.expect("Calm, boring releases");
  CHECK(third.finish() == 0);
}
