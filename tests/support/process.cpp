#include "tests/support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace okr::test {

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

void close_fd(int& fd) {
  if (fd >= 0) {
    ::close(fd);
    fd = -1;
  }
}

void set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

std::chrono::milliseconds remaining(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
  return left.count() > 0 ? left : std::chrono::milliseconds(0);
}

// Finds the first complete line after `scanned` containing `needle`; advances `scanned` past
// every complete line looked at so a later call does not see them again.
std::optional<std::string> take_line(const std::string& text, std::size_t& scanned,
                                     std::string_view needle) {
  while (true) {
    const auto newline = text.find('\n', scanned);
    if (newline == std::string::npos) {
      return std::nullopt;
    }
    std::string line = text.substr(scanned, newline - scanned);
    scanned = newline + 1;
    if (line.find(needle) != std::string::npos) {
      return line;
    }
  }
}

}  // namespace

Process::Process(const std::string& program, const ProcessOptions& options) {
  // A child that exits while we write its stdin must give us EPIPE, not kill the test runner.
  ::signal(SIGPIPE, SIG_IGN);

  int in_pipe[2];
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 ||
      ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    fail("pipe2");
  }

  // Everything the child needs is built before fork: after it only async-signal-safe calls.
  std::vector<std::string> argv_text{program};
  argv_text.insert(argv_text.end(), options.args.begin(), options.args.end());
  std::map<std::string, std::string> env_map;
  if (options.inherit_env) {
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
      const std::string entry(*e);
      const auto eq = entry.find('=');
      if (eq != std::string::npos) {
        env_map[entry.substr(0, eq)] = entry.substr(eq + 1);
      }
    }
  }
  for (const auto& [k, v] : options.env) {
    env_map[k] = v;
  }
  std::vector<std::string> env_text;
  for (const auto& [k, v] : env_map) {
    env_text.push_back(k + "=" + v);
  }
  std::vector<char*> argv;
  for (auto& a : argv_text) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : env_text) {
    envp.push_back(e.data());
  }
  envp.push_back(nullptr);
  const char* dir = options.working_dir ? options.working_dir->c_str() : nullptr;

  pid_ = ::fork();
  if (pid_ < 0) {
    fail("fork");
  }
  if (pid_ == 0) {
    ::signal(SIGPIPE, SIG_DFL);  // SIG_IGN would survive exec
    ::dup2(in_pipe[0], STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    if (dir != nullptr && ::chdir(dir) != 0) {
      ::_exit(127);
    }
    ::execve(argv[0], argv.data(), envp.data());
    static const char message[] = "process.cpp: execve failed\n";
    [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  stdin_fd_ = in_pipe[1];
  out_fd_ = out_pipe[0];
  err_fd_ = err_pipe[0];
  set_nonblocking(stdin_fd_);
  set_nonblocking(out_fd_);
  set_nonblocking(err_fd_);
}

Process::~Process() {
  if (!exit_code_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  close_fd(stdin_fd_);
  close_fd(out_fd_);
  close_fd(err_fd_);
}

void Process::pump(std::chrono::milliseconds wait) {
  pollfd fds[2];
  int count = 0;
  int* owners[2];
  std::string* sinks[2];
  if (out_fd_ >= 0) {
    fds[count] = {out_fd_, POLLIN, 0};
    owners[count] = &out_fd_;
    sinks[count++] = &out_;
  }
  if (err_fd_ >= 0) {
    fds[count] = {err_fd_, POLLIN, 0};
    owners[count] = &err_fd_;
    sinks[count++] = &err_;
  }
  if (count == 0) {
    return;
  }
  if (::poll(fds, count, static_cast<int>(wait.count())) <= 0) {
    return;
  }
  for (int i = 0; i < count; ++i) {
    if (fds[i].revents == 0) {
      continue;
    }
    char buffer[8192];
    while (true) {
      const ssize_t n = ::read(*owners[i], buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        close_fd(*owners[i]);  // end of stream
      }
      break;
    }
  }
}

bool Process::reap_if_exited() {
  if (exit_code_) {
    return true;
  }
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) != pid_) {
    return false;
  }
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

bool Process::write_stdin(std::string_view data, std::chrono::milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  while (!data.empty()) {
    if (stdin_fd_ < 0) {
      return false;
    }
    const ssize_t n = ::write(stdin_fd_, data.data(), data.size());
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      return false;  // EPIPE: the child closed stdin or exited
    }
    if (remaining(until).count() == 0) {
      return false;
    }
    pump(std::chrono::milliseconds(10));  // let the child make progress on its output
  }
  return true;
}

void Process::close_stdin() {
  close_fd(stdin_fd_);
}

std::optional<std::string> Process::wait_for_line(std::string_view needle, Stream stream,
                                                  std::chrono::milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  while (true) {
    if (stream != Stream::err) {
      if (auto line = take_line(out_, out_scanned_, needle)) {
        return line;
      }
    }
    if (stream != Stream::out) {
      if (auto line = take_line(err_, err_scanned_, needle)) {
        return line;
      }
    }
    const bool open =
        (stream != Stream::err && out_fd_ >= 0) || (stream != Stream::out && err_fd_ >= 0);
    if (!open || remaining(until).count() == 0) {
      return std::nullopt;
    }
    pump(std::min(remaining(until), std::chrono::milliseconds(100)));
  }
}

void Process::send_signal(int signal) {
  if (!exit_code_ && pid_ > 0) {
    ::kill(pid_, signal);
  }
}

std::optional<int> Process::wait_exit(std::chrono::milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  while (!reap_if_exited()) {
    if (remaining(until).count() == 0) {
      return std::nullopt;
    }
    pump(std::chrono::milliseconds(20));
  }
  // The child is gone; collect what it wrote last. A grandchild holding the pipes open could
  // keep them from closing, so this too is bounded by the deadline.
  while ((out_fd_ >= 0 || err_fd_ >= 0) && remaining(until).count() > 0) {
    pump(std::chrono::milliseconds(20));
  }
  return exit_code_;
}

std::string okr_coach_binary() {
#ifdef OKR_COACH_BINARY
  return OKR_COACH_BINARY;
#else
  return "okr-coach";
#endif
}

ProcessOptions okr_coach_options(const std::vector<std::string>& args,
                                 const std::map<std::string, std::string>& env) {
  ProcessOptions options;
  options.args = args;
  options.env = env;
  return options;
}

RunResult run_okr_coach(const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& env,
                        const std::string& stdin_data) {
  Process process(okr_coach_binary(), okr_coach_options(args, env));
  if (!stdin_data.empty()) {
    process.write_stdin(stdin_data);
  }
  process.close_stdin();
  const auto code = process.wait_exit();
  if (!code) {
    throw std::runtime_error("okr-coach did not exit within the deadline; stderr so far:\n" +
                             process.err());
  }
  return {*code, process.out(), process.err()};
}

std::optional<std::uint16_t> listening_port(const std::string& log_line) {
  const std::string marker = "listening on http://";
  const auto at = log_line.find(marker);
  if (at == std::string::npos)
    return std::nullopt;
  const auto url_end = log_line.find_first_of(" \t)", at + marker.size());
  const auto url = log_line.substr(at + marker.size(), url_end == std::string::npos
                                                            ? std::string::npos
                                                            : url_end - at - marker.size());
  const auto colon = url.rfind(':');  // after "]" for an IPv6 host
  if (colon == std::string::npos || colon + 1 == url.size())
    return std::nullopt;
  unsigned long port = 0;
  for (std::size_t i = colon + 1; i < url.size(); ++i) {
    if (url[i] < '0' || url[i] > '9')
      return std::nullopt;
    port = port * 10 + static_cast<unsigned long>(url[i] - '0');
    if (port > 65535)
      return std::nullopt;
  }
  return static_cast<std::uint16_t>(port);
}

}  // namespace okr::test
