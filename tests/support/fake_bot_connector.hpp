#pragma once
// A fake Bot Connector (the Teams service URL) on a real loopback socket: it answers the
// Connector REST calls the coach makes (create a conversation, post / reply / update an
// activity) with plausible ids, records every call with its decoded path ids and bearer token,
// and injects faults on demand (429 with or without Retry-After, 500, 403, 401, a slow answer,
// a dropped connection), one by one or on a seeded share of calls.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace okr::test {

enum class ConnectorFault {
  rate_limited,              // 429 with Retry-After: <seconds>
  rate_limited_no_header,    // 429 without Retry-After
  server_error,              // 500
  forbidden,                 // 403 (the app is not installed for the user)
  unauthorized,              // 401 (token refused)
  slow,                      // answers normally after fail_percent's slow_delay
  dropped_connection,        // the connection is closed with no answer (not acted on)
};

struct ConnectorCall {
  std::string method;        // POST, PUT
  std::string operation;     // create_conversation | send | reply | update
  std::string conversation;  // decoded {conversationId}
  std::string activity;      // decoded {activityId} (reply, update)
  std::string raw_path;      // as sent (percent-encoded)
  std::string authorization;
  nlohmann::json body;
  int status = 0;  // what the fake answered; 0 for a dropped connection
  std::optional<ConnectorFault> fault;  // the fault injected into this call, if any
  std::chrono::steady_clock::time_point at;  // when the call arrived
  std::string retry_after;                    // the Retry-After the fake answered, if any
};

class FakeBotConnector {
 public:
  FakeBotConnector();
  ~FakeBotConnector();
  FakeBotConnector(const FakeBotConnector&) = delete;
  FakeBotConnector& operator=(const FakeBotConnector&) = delete;

  std::uint16_t port() const;
  std::string service_url() const;  // "http://127.0.0.1:PORT/" (with the trailing slash)

  std::vector<ConnectorCall> calls() const;
  // Calls answered 2xx.
  std::vector<ConnectorCall> accepted() const;
  // The next `count` requests get `fault`, then normal service resumes.
  void fail_next(int count, ConnectorFault fault, int retry_after_seconds = 1);
  // From now on each call gets a fault with probability percent/100, drawn evenly from
  // `faults` by an RNG seeded with `seed` (so a failing run can be replayed). Queued fail_next
  // faults come first.
  void fail_percent(int percent, std::vector<ConnectorFault> faults, unsigned seed,
                    int retry_after_seconds = 1,
                    std::chrono::milliseconds slow_delay = std::chrono::milliseconds(1500));
  void clear_faults();
  // Waits until `done(calls)` holds; false at the deadline (never a speed assertion). `done`
  // runs under the fake's lock: it must use its argument, not call back into the fake.
  bool wait_until(const std::function<bool(const std::vector<ConnectorCall>&)>& done,
                  std::chrono::milliseconds deadline = std::chrono::seconds(20)) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace okr::test
