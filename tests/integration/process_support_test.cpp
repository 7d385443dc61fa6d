// The subprocess helper every integration test relies on, checked against /bin/sh so a fault
// in the helper is not mistaken for a fault in okr-coach.
#include <signal.h>

#include <catch2/catch.hpp>

#include "tests/support/process.hpp"

using okr::test::Process;
using okr::test::ProcessOptions;
using okr::test::Stream;

namespace {

ProcessOptions shell(const std::string& script, std::map<std::string, std::string> env = {}) {
  ProcessOptions options;
  options.args = {"-c", script};
  options.env = std::move(env);
  return options;
}

}  // namespace

TEST_CASE("the process helper captures stdout, stderr and the exit code", "[support]") {
  Process p("/bin/sh", shell("echo out-text; echo err-text >&2; exit 3"));
  REQUIRE(p.wait_exit() == 3);
  CHECK(p.out() == "out-text\n");
  CHECK(p.err() == "err-text\n");
}

TEST_CASE("the process helper gives the child only the environment it was asked to", "[support]") {
  setenv("OKR_LEAK_CHECK", "leaked", 1);
  Process p("/bin/sh", shell("echo \"[$OKR_LEAK_CHECK][$GIVEN]\"", {{"GIVEN", "yes"}}));
  REQUIRE(p.wait_exit() == 0);
  CHECK(p.out() == "[][yes]\n");
  unsetenv("OKR_LEAK_CHECK");
}

TEST_CASE("the process helper feeds stdin and finds lines in order", "[support]") {
  Process p("/bin/sh", shell("while read line; do echo \"got $line\"; done; echo done >&2"));
  REQUIRE(p.write_stdin("one\ntwo\n"));
  CHECK(p.wait_for_line("got", Stream::out) == "got one");
  CHECK(p.wait_for_line("got", Stream::out) == "got two");
  p.close_stdin();
  CHECK(p.wait_for_line("done", Stream::err) == "done");
  CHECK(p.wait_exit() == 0);
}

TEST_CASE("the process helper reports a missing line when the stream ends", "[support]") {
  Process p("/bin/sh", shell("echo something else"));
  CHECK_FALSE(p.wait_for_line("never printed").has_value());
}

TEST_CASE("the process helper reports death by signal as 128 + signal", "[support]") {
  Process p("/bin/sh", shell("echo ready; exec sleep 60"));
  REQUIRE(p.wait_for_line("ready"));
  p.send_signal(SIGTERM);
  CHECK(p.wait_exit() == 128 + SIGTERM);
}

TEST_CASE("listening_port reads the port from serve's start-up line, IPv6 included", "[process]") {
  using okr::test::listening_port;
  CHECK(listening_port("[info] listening on http://127.0.0.1:41234 (2 thread(s))") == 41234);
  CHECK(listening_port("listening on http://[::1]:8080 (1 thread(s))") == 8080);
  CHECK(listening_port("listening on http://localhost:65535") == 65535);
  CHECK_FALSE(listening_port("database okr.db at schema version 8"));
  CHECK_FALSE(listening_port("listening on http://127.0.0.1:99999"));
  CHECK_FALSE(listening_port("listening on http://127.0.0.1:"));
}
