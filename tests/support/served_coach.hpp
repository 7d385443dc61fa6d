#pragma once
// `okr-coach serve` as a subprocess for the end-to-end tests: started on 127.0.0.1 port 0 with
// a database in the test's directory and the environment the test names, ready once it logged
// its listening line, stopped with SIGTERM (as an orchestrator would) when the test ends.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace okr::test {

class ServedCoach {
 public:
  // Starts serve with `env` as its whole environment (plus what okr_coach_options adds) and the
  // database dir/coach.db; fails the test when it does not report a port in time.
  ServedCoach(const TempDir& dir, const std::map<std::string, std::string>& env);
  ~ServedCoach();  // SIGTERM, then waits for the exit
  ServedCoach(const ServedCoach&) = delete;
  ServedCoach& operator=(const ServedCoach&) = delete;

  std::uint16_t port() const { return port_; }
  Process& process() { return process_; }
  const Process& process() const { return process_; }

  // Everything the coach logged on stderr so far (collects what is waiting first).
  std::string log();
  // Waits for a stderr line containing `needle`; fails the test, showing the log, otherwise.
  void await_log(const std::string& needle);
  // The body of GET /metrics.
  std::string metrics();

  HttpReply request(std::string_view method, std::string_view target, std::string_view body = {},
                    const std::vector<std::pair<std::string, std::string>>& headers = {});

 private:
  Process process_;
  std::uint16_t port_ = 0;
};

}  // namespace okr::test
