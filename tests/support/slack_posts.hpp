#pragma once
// Waiting for what the coach posts to the fake Slack, for the end-to-end tests. A test keeps
// `seen`, the number of chat.postMessage calls it has already looked at, so each wait sees only
// what came after. The deadlines only turn a stalled run into a failure that shows the posts
// and the coach's log; they are never assertions about speed.
#include <cstddef>
#include <string>
#include <vector>

#include "tests/support/fake_slack.hpp"
#include "tests/support/process.hpp"

namespace okr::test {

// The first chat.postMessage after the first `seen` whose text contains `needle`; moves `seen`
// past it. Fails the test (listing every post and the coach's stderr) when none arrives.
RecordedCall await_post(const FakeSlack& slack, std::size_t& seen, const std::string& needle,
                        Process& coach);

// The next chat.postMessage after the first `seen`, whatever it says; moves `seen` past it.
RecordedCall next_post(const FakeSlack& slack, std::size_t& seen, Process& coach);

// The calls of `method` once there are at least `count` of them (fewer when none came in time:
// the caller's check on the size then fails with the calls in view).
std::vector<RecordedCall> await_calls(const FakeSlack& slack, const std::string& method,
                                      std::size_t count);

}  // namespace okr::test
