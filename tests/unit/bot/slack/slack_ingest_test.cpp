// The Slack routes over the real HTTP server (127.0.0.1, port 0) with a group-commit store in
// front: a request waits for its batch without holding a network thread, so requests that
// arrive while a batch is being written share the next one, and a failed store is a 500.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot/app/group_commit.hpp"
#include "bot/http/router.hpp"
#include "bot/http/server.hpp"
#include "bot/metrics/http_metrics.hpp"
#include "bot/metrics/registry.hpp"
#include "bot/slack/signature.hpp"
#include "bot/slack/slack_routes.hpp"
#include "tests/support/http_client.hpp"

using namespace okr::bot::slack;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string kSecret = "ingest-test-secret";
constexpr long long kNow = 1700000000;

// One stored request as the store sees it.
struct Stored {
  SlackRequest request;
  bool fresh = false;
};

// A gate the first batch waits at until the test opens it, so later requests pile up.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool open = false;
  bool entered = false;

  void enter_and_wait() {
    std::unique_lock lock(mutex);
    entered = true;
    changed.notify_all();
    changed.wait(lock, [&] { return open; });
  }
  bool wait_entered() {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 30s, [&] { return entered; });
  }
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    changed.notify_all();
  }
};

// A store shaped like the inbox: group commit, dedupe on the event key, optional failure.
struct Store {
  Gate gate;
  bool hold_first_batch = false;
  std::atomic<bool> fail{false};
  // Written by the batch writer, read by the test (the answer's socket orders them, but a
  // race detector cannot see that).
  mutable std::mutex mutex;
  std::set<std::string> keys;
  std::vector<std::size_t> batches;  // sizes, in order
  okr::bot::app::GroupCommit<Stored> commit{[this](const std::vector<Stored*>& batch) {
    bool first = false;
    {
      std::lock_guard lock(mutex);
      first = batches.empty();
      batches.push_back(batch.size());
    }
    if (hold_first_batch && first)
      gate.enter_and_wait();
    if (fail)
      throw std::runtime_error("disk I/O error (on purpose)");
    std::lock_guard lock(mutex);
    for (auto* item : batch)
      item->fresh = keys.insert(item->request.event_key).second;
  }};

  std::size_t stored() const {
    std::lock_guard lock(mutex);
    return keys.size();
  }
  std::vector<std::size_t> batch_sizes() const {
    std::lock_guard lock(mutex);
    return batches;
  }

  HandOverSlackRequest hand_over() {
    return [this](SlackRequest request, AcceptDone done) {
      auto* item = new Stored{std::move(request), false};
      commit.write_async(*item, [done = std::move(done)](Stored& stored, std::exception_ptr error) {
        std::unique_ptr<Stored> owned(&stored);
        done(stored.fresh, error);
      });
    };
  }
};

struct SlackServer {
  okr::bot::metrics::Registry metrics;
  okr::bot::http::Router router;
  std::optional<okr::bot::http::HttpServer> server;
  std::uint16_t port = 0;

  explicit SlackServer(Store& store) {
    okr::bot::metrics::define_http_metrics(metrics, "9.9.9-test");
    add_slack_routes(
        router, SlackRouteSettings{kSecret, "xoxb-test", {"UBOT", "BBOT"}}, store.hand_over(),
        [] { return okr::dialogs::TimePoint{std::chrono::seconds{kNow}}; });
    okr::config::HttpLimits limits;
    limits.shutdown_grace = 10s;
    server.emplace(limits, router, metrics, 2);  // two network threads, as serve's default
    port = server->start("127.0.0.1", 0);
  }
  ~SlackServer() {
    server->request_stop();
    server->wait();
  }
};

std::string dm_event(const std::string& event_id) {
  return json{{"type", "event_callback"},
              {"team_id", "T1"},
              {"event_id", event_id},
              {"event",
               {{"type", "message"},
                {"channel", "D1"},
                {"user", "U1"},
                {"text", "help"},
                {"ts", "1700000000.000100"},
                {"channel_type", "im"}}}}
      .dump();
}

okr::test::HttpReply post_event(std::uint16_t port, const std::string& body) {
  const auto ts = std::to_string(kNow);
  return okr::test::http_request(port, "POST", "/slack/events", body,
                                 {{"Content-Type", "application/json"},
                                  {"X-Slack-Request-Timestamp", ts},
                                  {"X-Slack-Signature", compute_signature(kSecret, ts, body)}});
}

}  // namespace

TEST_CASE("Slack events that arrive while a batch is written share the next batch",
          "[slack][ingest]") {
  Store store;
  store.hold_first_batch = true;
  SlackServer server(store);
  constexpr int kRequests = 16;  // many more than the two network threads

  std::vector<int> statuses(kRequests, 0);
  std::vector<std::thread> clients;
  clients.emplace_back([&] { statuses[0] = post_event(server.port, dm_event("Ev0")).status; });
  REQUIRE(store.gate.wait_entered());  // the first batch is being written (and held)
  for (int i = 1; i < kRequests; ++i) {
    clients.emplace_back([&, i] {
      statuses[i] = post_event(server.port, dm_event("Ev" + std::to_string(i))).status;
    });
  }
  // With a synchronous route each waiting request would hold a network thread, so no more than
  // one could queue behind the held batch; deferred, all of them do.
  bool all_queued = false;
  for (int i = 0; i < 3000 && !all_queued; ++i) {
    all_queued = store.commit.queued() == kRequests - 1;
    if (!all_queued)
      std::this_thread::sleep_for(10ms);
  }
  CHECK(all_queued);
  CHECK(store.stored() == 0);  // nothing answered or stored yet
  store.gate.release();
  for (auto& client : clients)
    client.join();

  for (int status : statuses)
    CHECK(status == 200);
  CHECK(store.stored() == kRequests);
  const auto batches = store.batch_sizes();
  REQUIRE(batches.size() == 2);
  CHECK(batches[0] == 1);
  CHECK(batches[1] == kRequests - 1);
}

TEST_CASE("a Slack event whose store fails is a 500 without the reason, so Slack retries",
          "[slack][ingest]") {
  Store store;
  store.fail = true;
  SlackServer server(store);
  const auto reply = post_event(server.port, dm_event("EvFail"));
  CHECK(reply.status == 500);
  CHECK(json::parse(reply.body)["error"] == "internal");
  CHECK(reply.body.find("disk I/O") == std::string::npos);

  store.fail = false;  // Slack's retry of the same event now goes through, once
  CHECK(post_event(server.port, dm_event("EvFail")).status == 200);
  CHECK(post_event(server.port, dm_event("EvFail")).status == 200);
  CHECK(store.stored() == 1);
}

TEST_CASE("a signed duplicate is acknowledged once stored and counted as a duplicate",
          "[slack][ingest]") {
  Store store;
  okr::bot::http::Router router;
  std::vector<std::string> outcomes;
  add_slack_routes(
      router, SlackRouteSettings{kSecret, "xoxb-test", {"UBOT", "BBOT"}}, store.hand_over(),
      [] { return okr::dialogs::TimePoint{std::chrono::seconds{kNow}}; },
      [&](const std::string& route, const std::string& outcome) {
        outcomes.push_back(route + ":" + outcome);
      });
  for (int i = 0; i < 2; ++i) {
    okr::bot::http::HttpRequest request;
    request.method = "POST";
    request.path = "/slack/events";
    request.body = dm_event("EvTwice");
    const auto ts = std::to_string(kNow);
    request.headers = {{"X-Slack-Request-Timestamp", ts},
                       {"X-Slack-Signature", compute_signature(kSecret, ts, request.body)}};
    std::optional<okr::bot::http::HttpResponse> answer;
    router.dispatch_deferred(router.match("POST", "/slack/events"), std::move(request),
                             [&](okr::bot::http::HttpResponse r) { answer = std::move(r); });
    REQUIRE(answer);
    CHECK(answer->status == 200);
  }
  CHECK(outcomes == std::vector<std::string>{"events:accepted", "events:duplicate"});
}
