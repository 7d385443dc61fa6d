#pragma once
// Runs a program (usually the real okr-coach binary) as a child process for integration tests:
// arguments and a clean environment in, stdin fed, stdout and stderr captured through pipes,
// signals sent, exit code collected. Deadlines exist only so a broken test fails instead of
// hanging; they are never assertions about speed.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace okr::test {

// Generous on purpose: a loaded CI machine must never turn a correct program into a failure.
// A sanitizer build runs every process several times slower (ThreadSanitizer most; CI runs it
// on 2 cores next to the crash-recovery test), so there the wait is longer still. GCC and clang
// both announce the sanitizer with these macros.
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
inline constexpr std::chrono::milliseconds kProcessDeadline{90'000};
#else
inline constexpr std::chrono::milliseconds kProcessDeadline{20'000};
#endif

struct ProcessOptions {
  std::vector<std::string> args;           // without argv[0]
  std::map<std::string, std::string> env;  // the child's whole environment unless inherit_env
  bool inherit_env = false;                // start from this process's environment, then env
  std::optional<std::string> working_dir;
};

enum class Stream { out, err, either };

class Process {
 public:
  // Starts `program` (a path; no PATH lookup). Throws std::runtime_error when it cannot.
  Process(const std::string& program, const ProcessOptions& options);
  // Kills (SIGKILL) and reaps the child if it is still running, closes the pipes.
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }

  // Writes all of `data` to the child's stdin (while still draining its output, so a child
  // that writes before it reads cannot deadlock us). False when the child closed stdin.
  bool write_stdin(std::string_view data, std::chrono::milliseconds deadline = kProcessDeadline);
  void close_stdin();

  // Waits until a complete line containing `needle` appears on `stream` after any line
  // returned by an earlier call; returns that line (without '\n'), or nullopt when the child
  // closed the stream or the deadline passed.
  std::optional<std::string> wait_for_line(std::string_view needle, Stream stream = Stream::either,
                                           std::chrono::milliseconds deadline = kProcessDeadline);

  void send_signal(int signal);

  // Waits for the child to exit and collects the rest of its output. Returns the exit code,
  // 128 + signal number when a signal ended it, or nullopt at the deadline (child left running).
  std::optional<int> wait_exit(std::chrono::milliseconds deadline = kProcessDeadline);

  // Everything captured so far.
  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }

 private:
  // Reads whatever is available on stdout/stderr, waiting at most `wait` for something.
  void pump(std::chrono::milliseconds wait);
  bool reap_if_exited();

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_;
  std::string err_;
  std::size_t out_scanned_ = 0;  // wait_for_line resumes after the last line it returned
  std::size_t err_scanned_ = 0;
  std::optional<int> exit_code_;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the okr-coach binary under test to completion with `args`, a clean environment plus
// `env`, and `stdin_data` on stdin. Fails the test (throws) if it does not exit by the deadline.
RunResult run_okr_coach(const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& env = {},
                        const std::string& stdin_data = "");

// Options for starting okr-coach yourself with Process (e.g. `serve`, left running while the
// test talks to it): `args` and a clean environment plus `env`.
ProcessOptions okr_coach_options(const std::vector<std::string>& args,
                                 const std::map<std::string, std::string>& env = {});
std::string okr_coach_binary();

// The port in serve's start-up line "listening on http://HOST:PORT" (IPv6 hosts in brackets);
// nullopt when `log_line` is not that line.
std::optional<std::uint16_t> listening_port(const std::string& log_line);

}  // namespace okr::test
