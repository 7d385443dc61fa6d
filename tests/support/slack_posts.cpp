#include "tests/support/slack_posts.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

#include <catch2/catch.hpp>

namespace okr::test {
namespace {

constexpr std::chrono::seconds kPostDeadline{20};
constexpr std::chrono::milliseconds kPoll{20};

// Everything the coach has logged so far: reading for a line it never writes collects what is
// waiting in the pipe without blocking for long.
const std::string& coach_log(Process& coach) {
  coach.wait_for_line("\x01 never logged", Stream::err, std::chrono::milliseconds(100));
  return coach.err();
}

}  // namespace

RecordedCall await_post(const FakeSlack& slack, std::size_t& seen, const std::string& needle,
                        Process& coach) {
  const auto until = std::chrono::steady_clock::now() + kPostDeadline;
  while (std::chrono::steady_clock::now() < until) {
    const auto posts = slack.calls_to("chat.postMessage");
    for (std::size_t i = seen; i < posts.size(); ++i) {
      if (posts[i].json.value("text", "").find(needle) != std::string::npos) {
        seen = i + 1;
        return posts[i];
      }
    }
    std::this_thread::sleep_for(kPoll);
  }
  std::string texts;
  for (const auto& post : slack.calls_to("chat.postMessage"))
    texts += post.json.value("text", "") + "\n---\n";
  FAIL("no post containing '" << needle << "'. Posts:\n" << texts << "\nstderr:\n"
                              << coach_log(coach));
  throw std::logic_error("unreachable");
}

RecordedCall next_post(const FakeSlack& slack, std::size_t& seen, Process& coach) {
  const auto until = std::chrono::steady_clock::now() + kPostDeadline;
  while (std::chrono::steady_clock::now() < until) {
    const auto posts = slack.calls_to("chat.postMessage");
    if (posts.size() > seen)
      return posts[seen++];
    std::this_thread::sleep_for(kPoll);
  }
  FAIL("no further post; stderr:\n" << coach_log(coach));
  throw std::logic_error("unreachable");
}

std::vector<RecordedCall> await_calls(const FakeSlack& slack, const std::string& method,
                                      std::size_t count) {
  const auto until = std::chrono::steady_clock::now() + kPostDeadline;
  auto calls = slack.calls_to(method);
  while (calls.size() < count && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(kPoll);
    calls = slack.calls_to(method);
  }
  return calls;
}

}  // namespace okr::test
