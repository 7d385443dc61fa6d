#include "tests/support/fake_slack.hpp"

#include <condition_variable>
#include <map>
#include <mutex>
#include <random>

#include "bot/http/request.hpp"
#include "bot/http/router.hpp"
#include "bot/slack/form.hpp"

namespace okr::test {

namespace {

using nlohmann::json;
using okr::bot::http::HttpRequest;
using okr::bot::http::HttpResponse;

// --- faults and canned answers -------------------------------------------------------------

HttpResponse json_answer(const json& payload, int status = 200) {
  return okr::bot::http::json_response(status, payload.dump());
}

std::string text_field(const json& body, const char* key, const char* fallback) {
  if (body.is_object() && body.contains(key) && body[key].is_string()) {
    return body[key].get<std::string>();
  }
  return fallback;
}

}  // namespace

std::optional<std::string> RecordedCall::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (okr::bot::http::iequals(key, name)) {
      return value;
    }
  }
  return std::nullopt;
}

struct FakeSlack::State {
  explicit State(Options options_in) : options(std::move(options_in)) {}

  Options options;
  okr::bot::http::Router router;
  std::optional<FakeServer> server;  // after the router it serves

  mutable std::mutex mutex;
  std::condition_variable wake;  // ends delays early when the fake stops
  bool stopping = false;
  std::vector<RecordedCall> calls;
  int fail_count = 0;
  Fault next_fault;
  std::map<std::string, std::pair<int, Fault>, std::less<>> method_faults;  // fail_next_to
  int fail_percent = 0;
  Fault percent_fault;
  std::vector<Fault> percent_faults;  // when set, drawn from instead of percent_fault
  std::mt19937 rng;
  std::map<std::string, std::pair<std::string, int>> user_tz;
  std::map<std::string, std::function<json(const json&)>, std::less<>> custom_answers;
  int sequence = 0;

  // OAuth and many workspaces.
  enum class TokenStatus { valid, expired, revoked };
  struct TokenInfo {
    std::string team;
    TokenStatus status = TokenStatus::valid;
  };
  struct PendingCode {
    std::string team;
    std::string redirect_uri;
    std::string scope;
  };
  std::map<std::string, FakeWorkspace> workspaces;
  std::map<std::string, TokenInfo> tokens;          // bot tokens handed out
  std::map<std::string, std::string> refreshes;     // refresh token -> team (unused ones)
  std::map<std::string, PendingCode> codes;         // single use
  std::map<std::string, std::vector<std::string>> issued;  // team -> tokens and refresh tokens
  std::map<std::string, std::string> current;       // team -> latest bot token
  std::string approve_team;
  bool deny_next = false;
  std::string client_id = "fake-client-id";
  std::string client_secret = "fake-client-secret";
  int handed_out = 0;

  // Under `mutex`: a bot token for `team` (rotating ones are new every time).
  std::string hand_out_token(const FakeWorkspace& workspace, json& answer) {
    std::string token = workspace.bot_token;
    if (workspace.expires_in) {
      ++handed_out;
      token = "xoxe.xoxb-" + workspace.team_id + "-rotated-" + std::to_string(handed_out);
      const std::string refresh =
          "xoxe-1-" + workspace.team_id + "-refresh-" + std::to_string(handed_out);
      refreshes[refresh] = workspace.team_id;
      issued[workspace.team_id].push_back(refresh);
      answer["refresh_token"] = refresh;
      answer["expires_in"] = *workspace.expires_in;
    }
    tokens[token] = TokenInfo{workspace.team_id, TokenStatus::valid};
    issued[workspace.team_id].push_back(token);
    current[workspace.team_id] = token;
    answer["access_token"] = token;
    return token;
  }

  json oauth_access(const json& fields) {
    const auto field = [&](const char* key) { return text_field(fields, key, ""); };
    std::lock_guard lock(mutex);
    if (field("client_id") != client_id)
      return {{"ok", false}, {"error", "invalid_client_id"}};
    if (field("client_secret") != client_secret)
      return {{"ok", false}, {"error", "bad_client_secret"}};
    std::string team;
    std::string scope = "app_mentions:read,chat:write,commands,im:history,im:write,users:read";
    if (field("grant_type") == "refresh_token") {
      const auto it = refreshes.find(field("refresh_token"));
      if (it == refreshes.end())
        return {{"ok", false}, {"error", "invalid_refresh_token"}};
      team = it->second;
      refreshes.erase(it);  // single use: the answer carries the next one
    } else {
      const auto it = codes.find(field("code"));
      if (it == codes.end())
        return {{"ok", false}, {"error", "invalid_code"}};
      const auto pending = it->second;
      codes.erase(it);
      if (field("redirect_uri") != pending.redirect_uri)
        return {{"ok", false}, {"error", "bad_redirect_uri"}};
      team = pending.team;
      scope = pending.scope;
    }
    const auto& workspace = workspaces.at(team);
    json answer = {{"ok", true},
                   {"app_id", "A0FAKEAPP"},
                   {"token_type", "bot"},
                   {"scope", scope},
                   {"bot_user_id", workspace.bot_user_id},
                   {"team", {{"id", workspace.team_id}, {"name", workspace.team_name}}},
                   {"enterprise", workspace.enterprise_id.empty()
                                      ? json(nullptr)
                                      : json{{"id", workspace.enterprise_id}}},
                   {"is_enterprise_install", false},
                   {"authed_user", {{"id", workspace.installer_user_id}}}};
    hand_out_token(workspace, answer);
    return answer;
  }

  // GET /oauth/v2/authorize: the person clicks Allow (or Cancel) at once.
  HttpResponse authorize(const HttpRequest& request) {
    RecordedCall call;
    call.method = "oauth/v2/authorize";
    call.path = request.path;
    call.headers = request.headers;
    call.body = request.query;
    call.json = json::object();
    const auto fields = okr::bot::slack::parse_form(request.query).value_or(
        okr::bot::slack::FormFields{});
    for (const auto& [name, value] : fields)
      call.json[name] = value;
    const auto value = [&](const char* key) {
      return okr::bot::slack::form_value(fields, key).value_or("");
    };
    std::lock_guard lock(mutex);
    calls.push_back(call);
    const std::string redirect = value("redirect_uri");
    if (value("client_id") != client_id || redirect.empty())
      return {400, "text/plain", "bad client_id or redirect_uri\n", {}};
    std::string location = redirect + (redirect.find('?') == std::string::npos ? "?" : "&");
    if (deny_next || approve_team.empty() || !workspaces.count(approve_team)) {
      deny_next = false;
      location += "error=access_denied&state=" + okr::bot::slack::form_encode(value("state"));
    } else {
      const std::string code = "code-" + approve_team + "-" + std::to_string(++sequence);
      codes[code] = PendingCode{approve_team, redirect, value("scope")};
      location += "code=" + okr::bot::slack::form_encode(code) +
                  "&state=" + okr::bot::slack::form_encode(value("state"));
    }
    HttpResponse response{302, "text/plain", "to the redirect_uri\n", {}};
    response.headers.emplace_back("Location", location);
    return response;
  }

  std::optional<Fault> draw_fault(const std::string& method) {
    if (auto aimed = method_faults.find(method); aimed != method_faults.end()) {
      auto& [count, fault] = aimed->second;
      const Fault chosen = fault;
      if (--count <= 0)
        method_faults.erase(aimed);
      return chosen;
    }
    if (fail_count > 0) {
      --fail_count;
      return next_fault;
    }
    if (fail_percent > 0 && std::uniform_int_distribution<int>(0, 99)(rng) < fail_percent) {
      if (percent_faults.empty())
        return percent_fault;
      return percent_faults[std::uniform_int_distribution<std::size_t>(
          0, percent_faults.size() - 1)(rng)];
    }
    return std::nullopt;
  }

  // Answers and notes on the recorded call whether Slack would have acted on it.
  HttpResponse serve(const HttpRequest& request, const std::string& method) {
    std::size_t index = 0;
    auto response = respond(request, method, index);
    bool ok = response.status >= 200 && response.status < 300;
    if (ok && method != "response_url") {
      const auto body = json::parse(response.body, nullptr, false);
      ok = body.is_object() && body.value("ok", false);
    }
    std::lock_guard lock(mutex);
    if (index < calls.size())
      calls[index].accepted = ok;
    return response;
  }

  HttpResponse respond(const HttpRequest& request, const std::string& method, std::size_t& index) {
    RecordedCall call;
    call.method = method;
    call.path = request.path;
    call.headers = request.headers;
    call.body = request.body;
    call.json = json::parse(request.body, nullptr, false);
    if (call.json.is_discarded()) {
      call.json = nullptr;
    }
    // Read methods come form-encoded, as Slack expects them: their fields become the same
    // JSON object a JSON body would give (every value a string).
    if (call.json.is_null() && request.header("Content-Type")
                                   .value_or("")
                                   .starts_with("application/x-www-form-urlencoded")) {
      if (const auto fields = okr::bot::slack::parse_form(request.body)) {
        call.json = json::object();
        for (const auto& [name, value] : *fields)
          call.json[name] = value;
      }
    }
    std::optional<Fault> fault;
    int ts = 0;
    {
      std::lock_guard lock(mutex);
      index = calls.size();
      calls.push_back(call);
      fault = draw_fault(method);
      ts = ++sequence;
    }
    if (fault) {
      switch (fault->kind) {
        case FaultKind::rate_limited: {
          auto answer = json_answer({{"ok", false}, {"error", "ratelimited"}}, 429);
          answer.headers.emplace_back("Retry-After", std::to_string(fault->retry_after_seconds));
          return answer;
        }
        case FaultKind::server_error:
          return {500, "text/plain", "upstream broke\n", {}};
        case FaultKind::slack_error:
          return json_answer({{"ok", false}, {"error", fault->error}});
        case FaultKind::dropped_connection: {
          HttpResponse withheld{500, "text/plain", "dropped\n", {}};
          withheld.headers.emplace_back(kDropConnectionHeader, "1");
          return withheld;
        }
        case FaultKind::delay: {
          std::unique_lock lock(mutex);
          wake.wait_for(lock, fault->delay, [&] { return stopping; });
          break;
        }
      }
    }
    if (method == "response_url") {
      return json_answer({{"ok", true}});
    }
    if (method == "oauth.v2.access") {
      if (call.json.is_null() || !call.json.is_object())
        return json_answer({{"ok", false}, {"error", "invalid_arguments"}});
      return json_answer(oauth_access(call.json));
    }
    const auto auth = request.header("Authorization");
    if (!auth) {
      return json_answer({{"ok", false}, {"error", "not_authed"}});
    }
    std::string team;
    {
      std::lock_guard lock(mutex);
      if (!options.app_token.empty()) {
        const bool app_token_call = *auth == "Bearer " + options.app_token;
        if (app_token_call != (method == "apps.connections.open"))
          return json_answer({{"ok", false}, {"error", "not_allowed_token_type"}});
      }
      if (*auth == "Bearer " + options.token ||
          (!options.app_token.empty() && *auth == "Bearer " + options.app_token)) {
        team = "T0FAKE01";
      } else if (auth->starts_with("Bearer ")) {
        const auto it = tokens.find(std::string(auth->substr(7)));
        if (it == tokens.end())
          return json_answer({{"ok", false}, {"error", "invalid_auth"}});
        if (it->second.status == TokenStatus::expired)
          return json_answer({{"ok", false}, {"error", "token_expired"}});
        if (it->second.status == TokenStatus::revoked)
          return json_answer({{"ok", false}, {"error", "token_revoked"}});
        team = it->second.team;
      } else {
        return json_answer({{"ok", false}, {"error", "invalid_auth"}});
      }
      if (index < calls.size())
        calls[index].team_id = team;
    }
    if (call.json.is_null() || !call.json.is_object()) {
      return json_answer({{"ok", false}, {"error", "invalid_json"}});
    }
    return answer(method, call.json, ts, team);
  }

  HttpResponse answer(const std::string& method, const json& body, int sequence_number,
                      const std::string& team) {
    std::function<json(const json&)> custom;
    {
      std::lock_guard lock(mutex);
      if (auto it = custom_answers.find(method); it != custom_answers.end())
        custom = it->second;
    }
    if (custom) {
      return json_answer(custom(body));
    }
    const std::string ts = "1700000000." + std::to_string(100000 + sequence_number);
    const std::string channel = text_field(body, "channel", "");
    if (method == "auth.test") {
      std::string bot_user = options.bot_user_id;
      {
        std::lock_guard lock(mutex);
        if (const auto it = workspaces.find(team); it != workspaces.end())
          bot_user = it->second.bot_user_id;
      }
      return json_answer({{"ok", true},
                          {"url", "https://fake.slack.test/"},
                          {"team", "Fake Team"},
                          {"user", "okr-coach"},
                          {"team_id", team},
                          {"user_id", bot_user},
                          {"bot_id", "B0FAKE01"}});
    }
    if (method == "chat.postMessage" || method == "chat.update") {
      if (channel.empty()) {
        return json_answer({{"ok", false}, {"error", "channel_not_found"}});
      }
      const std::string message_ts = method == "chat.update" ? text_field(body, "ts", "") : ts;
      return json_answer(
          {{"ok", true},
           {"channel", channel},
           {"ts", message_ts},
           {"message", {{"text", text_field(body, "text", "")}, {"ts", message_ts}}}});
    }
    if (method == "chat.postEphemeral") {
      return json_answer({{"ok", true}, {"message_ts", ts}});
    }
    if (method == "conversations.open") {
      const std::string users = text_field(body, "users", "");
      if (users.empty()) {
        return json_answer({{"ok", false}, {"error", "users_list_not_supplied"}});
      }
      return json_answer({{"ok", true}, {"channel", {{"id", "D" + users.substr(1)}}}});
    }
    if (method == "users.info") {
      const std::string user = text_field(body, "user", "");
      if (user.empty()) {
        return json_answer({{"ok", false}, {"error", "user_not_found"}});
      }
      std::pair<std::string, int> tz{"Europe/Berlin", 3600};
      {
        std::lock_guard lock(mutex);
        if (auto it = user_tz.find(user); it != user_tz.end()) {
          tz = it->second;
        }
      }
      return json_answer({{"ok", true},
                          {"user",
                           {{"id", user},
                            {"name", "name-" + user},
                            {"real_name", "Real " + user},
                            {"tz", tz.first},
                            {"tz_offset", tz.second},
                            {"profile", {{"display_name", "Display " + user}}}}}});
    }
    if (method == "views.publish" || method == "views.open") {
      return json_answer({{"ok", true}, {"view", {{"id", "V" + std::to_string(sequence_number)}}}});
    }
    return json_answer({{"ok", false}, {"error", "unknown_method"}});
  }
};

FakeSlack::FakeSlack() : FakeSlack(Options{}) {}

FakeSlack::FakeSlack(Options options) : state_(std::make_unique<State>(std::move(options))) {
  State& s = *state_;
  s.router.add("POST", "/api/{method}", [&s](const HttpRequest& request) {
    return s.serve(request, request.path_params.at("method"));
  });
  s.router.add("GET", "/oauth/v2/authorize",
               [&s](const HttpRequest& request) { return s.authorize(request); });
  s.router.add("POST", "/response/{id}",
               [&s](const HttpRequest& request) { return s.serve(request, "response_url"); });
  s.server.emplace(s.router, FakeServer::Options{.name = "fake-slack",
                                                 .https = s.options.https,
                                                 .count_connections = true,
                                                 .certificate_names = s.options.certificate_names});
}

FakeSlack::~FakeSlack() {
  State& s = *state_;
  {
    std::lock_guard lock(s.mutex);
    s.stopping = true;
  }
  s.wake.notify_all();
  s.server->stop();
}

const std::string& FakeSlack::token() const {
  return state_->options.token;
}

const std::string& FakeSlack::app_token() const {
  return state_->options.app_token.empty() ? state_->options.token : state_->options.app_token;
}

std::uint16_t FakeSlack::port() const {
  return state_->server->port();
}

std::string FakeSlack::api_url() const {
  return state_->server->base_url() + "/api/";
}

std::string FakeSlack::response_url(std::string_view id) const {
  return state_->server->base_url() + "/response/" + std::string(id);
}

std::string FakeSlack::ca_file() const {
  return state_->server->ca_file();
}

std::vector<RecordedCall> FakeSlack::calls() const {
  std::lock_guard lock(state_->mutex);
  return state_->calls;
}

std::vector<RecordedCall> FakeSlack::calls_to(std::string_view method) const {
  std::vector<RecordedCall> out;
  for (auto& call : calls()) {
    if (call.method == method) {
      out.push_back(std::move(call));
    }
  }
  return out;
}

std::size_t FakeSlack::connections_accepted() const {
  return state_->server->connections_accepted();
}

void FakeSlack::answer_method(std::string method, std::function<json(const json&)> answer) {
  std::lock_guard lock(state_->mutex);
  state_->custom_answers[std::move(method)] = std::move(answer);
}

void FakeSlack::fail_next(int count, Fault fault) {
  std::lock_guard lock(state_->mutex);
  state_->fail_count = count;
  state_->next_fault = std::move(fault);
}

void FakeSlack::fail_next_to(std::string method, int count, Fault fault) {
  std::lock_guard lock(state_->mutex);
  if (count > 0)
    state_->method_faults[std::move(method)] = {count, std::move(fault)};
}

void FakeSlack::fail_percent(int percent, Fault fault, unsigned seed) {
  std::lock_guard lock(state_->mutex);
  state_->fail_percent = percent;
  state_->percent_fault = std::move(fault);
  state_->percent_faults.clear();
  state_->rng.seed(seed);
}

void FakeSlack::fail_percent(int percent, std::vector<Fault> faults, unsigned seed) {
  std::lock_guard lock(state_->mutex);
  state_->fail_percent = percent;
  state_->percent_faults = std::move(faults);
  state_->rng.seed(seed);
}

std::vector<RecordedCall> FakeSlack::accepted_calls_to(std::string_view method) const {
  std::vector<RecordedCall> out;
  for (auto& call : calls_to(method)) {
    if (call.accepted)
      out.push_back(std::move(call));
  }
  return out;
}

void FakeSlack::clear_faults() {
  std::lock_guard lock(state_->mutex);
  state_->fail_count = 0;
  state_->fail_percent = 0;
}

void FakeSlack::set_user_tz(const std::string& user_id, const std::string& tz, int offset_seconds) {
  std::lock_guard lock(state_->mutex);
  state_->user_tz[user_id] = {tz, offset_seconds};
}

}  // namespace okr::test

namespace okr::test {

std::string FakeSlack::authorize_url() const {
  return state_->server->base_url() + "/oauth/v2/authorize";
}

void FakeSlack::add_workspace(FakeWorkspace workspace) {
  std::lock_guard lock(state_->mutex);
  state_->workspaces[workspace.team_id] = std::move(workspace);
}

void FakeSlack::approve_installs_into(const std::string& team_id) {
  std::lock_guard lock(state_->mutex);
  state_->approve_team = team_id;
}

void FakeSlack::deny_next_install() {
  std::lock_guard lock(state_->mutex);
  state_->deny_next = true;
}

void FakeSlack::set_oauth_client(std::string client_id, std::string client_secret) {
  std::lock_guard lock(state_->mutex);
  state_->client_id = std::move(client_id);
  state_->client_secret = std::move(client_secret);
}

std::string FakeSlack::current_token(const std::string& team_id) const {
  std::lock_guard lock(state_->mutex);
  const auto it = state_->current.find(team_id);
  return it == state_->current.end() ? std::string() : it->second;
}

std::vector<std::string> FakeSlack::tokens_issued(const std::string& team_id) const {
  std::lock_guard lock(state_->mutex);
  const auto it = state_->issued.find(team_id);
  return it == state_->issued.end() ? std::vector<std::string>{} : it->second;
}

void FakeSlack::expire_tokens(const std::string& team_id) {
  std::lock_guard lock(state_->mutex);
  for (auto& [token, info] : state_->tokens) {
    if (info.team == team_id && info.status == State::TokenStatus::valid)
      info.status = State::TokenStatus::expired;
  }
}

void FakeSlack::revoke_tokens(const std::string& team_id) {
  std::lock_guard lock(state_->mutex);
  for (auto& [token, info] : state_->tokens) {
    if (info.team == team_id)
      info.status = State::TokenStatus::revoked;
  }
  std::erase_if(state_->refreshes, [&](const auto& entry) { return entry.second == team_id; });
}

}  // namespace okr::test
