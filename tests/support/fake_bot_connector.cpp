#include "tests/support/fake_bot_connector.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "bot/http/request.hpp"
#include "bot/http/router.hpp"
#include "bot/http/server.hpp"
#include "bot/metrics/http_metrics.hpp"
#include "bot/metrics/registry.hpp"

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
  std::vector<ConnectorCall> calls;
  std::deque<PendingFault> faults;
  int next_id = 1;
  bot::metrics::Registry metrics;
  bot::http::Router router;
  std::optional<bot::http::HttpServer> server;
  std::uint16_t port = 0;

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
    bot::http::HttpResponse response;
    std::lock_guard lock(mutex);
    if (!faults.empty()) {
      const auto fault = faults.front();
      faults.pop_front();
      switch (fault.fault) {
        case ConnectorFault::rate_limited:
          response = bot::http::json_response(429, R"({"error":{"code":"Throttled"}})");
          response.headers.emplace_back("Retry-After", std::to_string(fault.retry_after));
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
    call.status = response.status;
    calls.push_back(std::move(call));
    changed.notify_all();
    return response;
  }
};

FakeBotConnector::FakeBotConnector() : state_(std::make_unique<State>()) {
  auto* s = state_.get();
  bot::metrics::define_http_metrics(s->metrics, "fake-bot-connector");
  s->router.add("POST", "/v3/conversations", [s](const bot::http::HttpRequest& request) {
    return s->answer(request, "create_conversation");
  });
  s->router.add("POST", "/v3/conversations/{conversation}/activities",
                [s](const bot::http::HttpRequest& request) { return s->answer(request, "send"); });
  s->router.add("POST", "/v3/conversations/{conversation}/activities/{activity}",
                [s](const bot::http::HttpRequest& request) { return s->answer(request, "reply"); });
  s->router.add("PUT", "/v3/conversations/{conversation}/activities/{activity}",
                [s](const bot::http::HttpRequest& request) { return s->answer(request, "update"); });
  s->server.emplace(config::HttpLimits{}, s->router, s->metrics, 2);
  s->port = s->server->start("127.0.0.1", 0);
}

FakeBotConnector::~FakeBotConnector() {
  state_->server->request_stop();
  state_->server->wait();
}

std::uint16_t FakeBotConnector::port() const {
  return state_->port;
}

std::string FakeBotConnector::service_url() const {
  return "http://127.0.0.1:" + std::to_string(state_->port) + "/";
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

bool FakeBotConnector::wait_until(
    const std::function<bool(const std::vector<ConnectorCall>&)>& done,
    std::chrono::milliseconds deadline) const {
  std::unique_lock lock(state_->mutex);
  return state_->changed.wait_for(lock, deadline, [&] { return done(state_->calls); });
}

}  // namespace okr::test
