#include "tests/support/fake_bot_connector.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "bot/http/request.hpp"
#include "bot/http/router.hpp"
#include "tests/support/fake_server.hpp"

namespace okr::test {
namespace {

using nlohmann::json;

std::string percent_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

struct PendingFault {
  ConnectorFault fault;
  int retry_after = 1;
};

}  // namespace

struct FakeBotConnector::State {
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::condition_variable wake;  // ends slow answers early when the fake stops
  bool stopping = false;
  std::vector<ConnectorCall> calls;
  std::deque<PendingFault> faults;
  int percent = 0;
  std::vector<ConnectorFault> percent_faults;
  int percent_retry_after = 1;
  std::chrono::milliseconds slow_delay{1500};
  std::mt19937 rng;
  int next_id = 1;
  bot::http::Router router;
  // Through FakeServer's front door, which is what can drop a connection.
  std::optional<FakeServer> server;

  std::optional<PendingFault> draw_fault() {
    if (!faults.empty()) {
      const auto fault = faults.front();
      faults.pop_front();
      return fault;
    }
    if (percent > 0 && !percent_faults.empty() &&
        std::uniform_int_distribution<int>(0, 99)(rng) < percent) {
      const auto kind = percent_faults[std::uniform_int_distribution<std::size_t>(
          0, percent_faults.size() - 1)(rng)];
      return PendingFault{kind, percent_retry_after};
    }
    return std::nullopt;
  }

  bot::http::HttpResponse answer(const bot::http::HttpRequest& request, std::string operation) {
    ConnectorCall call;
    call.method = request.method;
    call.operation = std::move(operation);
    call.raw_path = request.path;
    if (const auto it = request.path_params.find("conversation"); it != request.path_params.end())
      call.conversation = percent_decode(it->second);
    if (const auto it = request.path_params.find("activity"); it != request.path_params.end())
      call.activity = percent_decode(it->second);
    call.authorization = std::string(request.header("Authorization").value_or(""));
    call.body = json::parse(request.body, nullptr, false);
    call.at = std::chrono::steady_clock::now();
    bot::http::HttpResponse response;
    std::unique_lock lock(mutex);
    auto fault = draw_fault();
    if (fault && fault->fault == ConnectorFault::slow) {
      // Slow, then served normally: the call still counts once it is answered.
      call.fault = ConnectorFault::slow;
      wake.wait_for(lock, slow_delay, [&] { return stopping; });
      fault.reset();
    }
    if (fault) {
      call.fault = fault->fault;
      switch (fault->fault) {
        case ConnectorFault::slow:
          break;
        case ConnectorFault::dropped_connection:
          response.status = 500;
          response.content_type = "text/plain";
          response.body = "dropped";
          response.headers.emplace_back(kDropConnectionHeader, "1");
          break;
        case ConnectorFault::rate_limited:
          response = bot::http::json_response(429, R"({"error":{"code":"Throttled"}})");
          response.headers.emplace_back("Retry-After", std::to_string(fault->retry_after));
          break;
        case ConnectorFault::rate_limited_no_header:
          response = bot::http::json_response(429, R"({"error":{"code":"Throttled"}})");
          break;
        case ConnectorFault::server_error:
          response.status = 500;
          response.content_type = "text/plain";
          response.body = "upstream trouble";
          break;
        case ConnectorFault::forbidden:
          response = bot::http::json_response(
              403, R"({"error":{"code":"BotNotInConversationRoster"}})");
          break;
        case ConnectorFault::unauthorized:
          response = bot::http::json_response(401, R"({"message":"Authorization denied"})");
          break;
      }
    } else if (!call.authorization.starts_with("Bearer ") || call.authorization.size() <= 7) {
      response = bot::http::json_response(401, R"({"message":"Authorization has been denied"})");
    } else if (call.operation == "create_conversation") {
      response = bot::http::json_response(
          200, json{{"id", "a:created-" + std::to_string(next_id++)}}.dump());
    } else if (call.operation == "update") {
      response = bot::http::json_response(200, json{{"id", call.activity}}.dump());
    } else {
      response =
          bot::http::json_response(200, json{{"id", "act-" + std::to_string(next_id++)}}.dump());
    }
    response.headers.emplace_back("X-Correlating-OperationId", "op-" + std::to_string(calls.size()));
    call.status = fault && fault->fault == ConnectorFault::dropped_connection ? 0 : response.status;
    for (const auto& [name, value] : response.headers) {
      if (name == "Retry-After")
        call.retry_after = value;
    }
    calls.push_back(std::move(call));
    changed.notify_all();
    return response;
  }
};

FakeBotConnector::FakeBotConnector() : state_(std::make_unique<State>()) {
  auto* s = state_.get();
  s->router.add("POST", "/v3/conversations", [s](const bot::http::HttpRequest& request) {
    return s->answer(request, "create_conversation");
  });
  s->router.add("POST", "/v3/conversations/{conversation}/activities",
                [s](const bot::http::HttpRequest& request) { return s->answer(request, "send"); });
  s->router.add("POST", "/v3/conversations/{conversation}/activities/{activity}",
                [s](const bot::http::HttpRequest& request) { return s->answer(request, "reply"); });
  s->router.add("PUT", "/v3/conversations/{conversation}/activities/{activity}",
                [s](const bot::http::HttpRequest& request) { return s->answer(request, "update"); });
  s->server.emplace(s->router,
                    FakeServer::Options{.name = "fake-bot-connector", .count_connections = true});
}

FakeBotConnector::~FakeBotConnector() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  state_->server->stop();
}

std::uint16_t FakeBotConnector::port() const {
  return state_->server->port();
}

std::string FakeBotConnector::service_url() const {
  return state_->server->base_url() + "/";
}

std::vector<ConnectorCall> FakeBotConnector::calls() const {
  std::lock_guard lock(state_->mutex);
  return state_->calls;
}

std::vector<ConnectorCall> FakeBotConnector::accepted() const {
  std::vector<ConnectorCall> out;
  for (auto& call : calls()) {
    if (call.status >= 200 && call.status < 300)
      out.push_back(std::move(call));
  }
  return out;
}

void FakeBotConnector::fail_next(int count, ConnectorFault fault, int retry_after_seconds) {
  std::lock_guard lock(state_->mutex);
  for (int i = 0; i < count; ++i)
    state_->faults.push_back({fault, retry_after_seconds});
}

void FakeBotConnector::fail_percent(int percent, std::vector<ConnectorFault> faults, unsigned seed,
                                    int retry_after_seconds, std::chrono::milliseconds slow_delay) {
  std::lock_guard lock(state_->mutex);
  state_->percent = percent;
  state_->percent_faults = std::move(faults);
  state_->percent_retry_after = retry_after_seconds;
  state_->slow_delay = slow_delay;
  state_->rng.seed(seed);
}

void FakeBotConnector::clear_faults() {
  std::lock_guard lock(state_->mutex);
  state_->faults.clear();
  state_->percent = 0;
}

bool FakeBotConnector::wait_until(
    const std::function<bool(const std::vector<ConnectorCall>&)>& done,
    std::chrono::milliseconds deadline) const {
  std::unique_lock lock(state_->mutex);
  return state_->changed.wait_for(lock, deadline, [&] { return done(state_->calls); });
}

}  // namespace okr::test
