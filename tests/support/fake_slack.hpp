#pragma once
// A fake Slack Web API on a real loopback socket (conceptually tests/fakes; it lives in
// tests/support because that folder is the test-support library). It answers the methods OKR
// Coach calls under /api/<method> with plausible payloads, checks the bearer token, records every
// call, accepts response_url posts under /response/<id>, and injects faults on demand.
//
// The sockets (a front door counting TCP connections, TLS in HTTPS mode) are FakeServer's.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/fake_server.hpp"  // TestCertificate, for the fakes' users

namespace okr::test {

struct RecordedCall {
  std::string method;  // Web API method ("chat.postMessage"), or "response_url"
  std::string path;    // "/api/chat.postMessage", "/response/abc"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  nlohmann::json json;  // the body parsed; null when it is not JSON
  // The fake answered success (HTTP 2xx and, for Web API methods, ok:true): Slack would have
  // acted on it. False for injected faults and error answers (and while still being answered).
  bool accepted = false;
  // The workspace whose bot token authorised the call ("T0FAKE01" for Options::token); empty
  // when the call carried no known token (oauth.v2.access, response_url, refused calls).
  std::string team_id;

  std::optional<std::string> header(std::string_view name) const;
};

// A workspace the coach can be installed into through the fake's OAuth flow.
struct FakeWorkspace {
  std::string team_id;
  std::string team_name;
  std::string bot_token;    // what oauth.v2.access hands out (without rotation)
  std::string bot_user_id;  // the coach's bot user in this workspace
  std::string installer_user_id = "UINSTALLER";
  std::string enterprise_id;  // empty outside Enterprise Grid
  // Token rotation: oauth.v2.access then hands out an expiring token (xoxe.xoxb-…) with a
  // refresh token, and expires_in = this many seconds.
  std::optional<int> expires_in;
};

enum class FaultKind {
  rate_limited,  // 429 with Retry-After and {"ok":false,"error":"ratelimited"}
  server_error,  // 500 with a non-JSON body
  delay,         // waits `delay`, then answers normally
  slack_error,   // 200 {"ok":false,"error":<error>}
  dropped_connection,  // the connection is closed with no answer (not acted on)
};

struct Fault {
  FaultKind kind = FaultKind::server_error;
  int retry_after_seconds = 1;           // rate_limited
  std::chrono::milliseconds delay{0};    // delay
  std::string error = "internal_error";  // slack_error
};

class FakeSlack {
 public:
  struct Options {
    std::string token = "xoxb-fake-bot-token-0123456789";
    // Socket Mode's app-level token. When set, apps.connections.open accepts only it and every
    // other method refuses it (and apps.connections.open refuses the bot token), as Slack
    // answers not_allowed_token_type. Empty: `token` serves for both.
    std::string app_token{};
    std::string bot_user_id = "UBOT0001";
    bool https = false;
    // The names the HTTPS certificate carries (change it to test host-name verification).
    std::string certificate_names = "IP:127.0.0.1,DNS:localhost";
  };

  FakeSlack();
  explicit FakeSlack(Options options);
  ~FakeSlack();
  FakeSlack(const FakeSlack&) = delete;
  FakeSlack& operator=(const FakeSlack&) = delete;

  const std::string& token() const;
  const std::string& app_token() const;  // Options::app_token, or token() when that is empty
  std::uint16_t port() const;
  std::string api_url() const;                          // "http(s)://127.0.0.1:PORT/api/"
  std::string response_url(std::string_view id) const;  // ".../response/<id>"
  // HTTPS mode: path of a PEM file holding the fake's certificate (trust it as the CA).
  std::string ca_file() const;

  std::vector<RecordedCall> calls() const;
  std::vector<RecordedCall> calls_to(std::string_view method) const;
  std::size_t connections_accepted() const;

  // The next `count` requests get `fault` (then normal service resumes).
  void fail_next(int count, Fault fault);
  // The same for the next `count` calls of `method` only ("response_url" for response_url
  // posts); other calls are served (or faulted) as before. Takes precedence over fail_next.
  void fail_next_to(std::string method, int count, Fault fault);
  // From now on each request gets `fault` with probability percent/100, drawn from an RNG
  // seeded with `seed` (so a failing run can be replayed).
  void fail_percent(int percent, Fault fault, unsigned seed);
  // The same, each fault drawn evenly from `faults` (e.g. a 500 or a 429).
  void fail_percent(int percent, std::vector<Fault> faults, unsigned seed);
  // Calls the fake accepted, of `method`.
  std::vector<RecordedCall> accepted_calls_to(std::string_view method) const;
  void clear_faults();
  // From now on `method` (e.g. "conversations.members") is answered by `answer`, given the
  // call's fields as JSON, instead of the built-in answer (faults and the token check still
  // apply first). The answer must be a complete Web API body ({"ok":true,...}).
  void answer_method(std::string method,
                     std::function<nlohmann::json(const nlohmann::json& fields)> answer);
  // users.info answers for this user with this time zone (default Europe/Berlin, 3600).
  void set_user_tz(const std::string& user_id, const std::string& tz, int offset_seconds);

  // --- OAuth v2 and many workspaces ---------------------------------------------------------
  // Slack's authorize page of this fake: GET answers 302 to the request's redirect_uri with a
  // code and the state (approved for the workspace named by approve_installs_into), or with
  // error=access_denied after deny_next_install().
  std::string authorize_url() const;  // "http://127.0.0.1:PORT/oauth/v2/authorize"
  void add_workspace(FakeWorkspace workspace);
  void approve_installs_into(const std::string& team_id);
  void deny_next_install();
  // The app credentials oauth.v2.access accepts (default "fake-client-id" / "fake-client-secret").
  void set_oauth_client(std::string client_id, std::string client_secret);
  // The bot token the workspace's calls must carry now (the latest one handed out).
  std::string current_token(const std::string& team_id) const;
  // Every token and refresh token of the workspace handed out so far (tests grep for them).
  std::vector<std::string> tokens_issued(const std::string& team_id) const;
  // Every bot token of the workspace handed out so far answers token_expired from now on, as
  // when a rotating token outlives expires_in.
  void expire_tokens(const std::string& team_id);
  // The app was uninstalled: the workspace's tokens answer token_revoked.
  void revoke_tokens(const std::string& team_id);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace okr::test
