#include "bot/slack/socket_mode.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "bot/http/client.hpp"
#include "bot/metrics/registry.hpp"
#include "bot/slack/slack_inbound.hpp"
#include "bot/slack/socket_envelope.hpp"
#include "bot/slack/socket_link.hpp"
#include "bot/slack/web_api.hpp"

namespace okr::bot::slack {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// A connection that lived at least this long after its hello was healthy: a drop after that
// starts the backoff afresh instead of growing it.
constexpr auto kHealthyAfter = std::chrono::seconds(10);

// Metric label values stay bounded whatever Slack sends.
std::string reason_label(const std::string& reason) {
  for (const char* known : {"warning", "refresh_requested", "link_disabled"}) {
    if (reason == known)
      return reason;
  }
  return "other";
}

std::string envelope_label(const std::string& type) {
  for (const char* known : {"events_api", "slash_commands", "interactive"}) {
    if (type == known)
      return type;
  }
  return "other";
}

// One WebSocket connection and what the client knows of it. The link is the last member, so it
// is destroyed (its thread joined) while the flags its callbacks set still exist.
struct Connection {
  int id = 0;
  bool hello = false;
  bool ended = false;
  std::string moving;  // set when Slack asked us to move to a fresh connection: the reason
  std::string end_why;
  Clock::time_point hello_at;
  std::unique_ptr<SocketLink> link;
};

}  // namespace

void define_socket_mode_metrics(metrics::Registry& metrics) {
  metrics.define_counter(std::string(kSocketConnectionsMetric),
                         "Slack Socket Mode connections opened (counted at Slack's hello).");
  metrics.define_counter(std::string(kSocketReconnectsMetric),
                         "Slack Socket Mode reconnects by reason (warning, refresh_requested, "
                         "link_disabled, other: Slack asked; dropped: the connection broke).");
  metrics.define_counter(std::string(kSocketEnvelopesMetric),
                         "Slack Socket Mode frames received, by type (hello, disconnect, "
                         "events_api, slash_commands, interactive, other).");
  metrics.define_gauge(std::string(kSocketConnectedMetric),
                       "Whether a Slack Socket Mode connection is serving: 1 yes, 0 no.");
}

struct SocketMode::State {
  SocketModeSettings settings;
  const SlackInbound& inbound;
  metrics::Registry& metrics;

  std::optional<http::HttpClient> client;
  std::optional<WebApi> api;  // with the app-level token: only apps.connections.open
  std::thread thread;
  std::mt19937 rng{std::random_device{}()};

  std::mutex mutex;
  std::condition_variable changed;
  bool stopping = false;
  int next_id = 0;
  std::shared_ptr<Connection> serving;
  std::vector<std::shared_ptr<Connection>> retiring;  // closing; destroyed once ended

  State(SocketModeSettings s, const SlackInbound& i, metrics::Registry& m)
      : settings(std::move(s)), inbound(i), metrics(m) {}

  void count_frame(const std::string& type) {
    metrics.increment(kSocketEnvelopesMetric, {{"type", type}});
  }

  // --- on a link's thread ----------------------------------------------------------------

  std::string on_frame(Connection& connection, const std::string& text) {
    const auto frame = parse_socket_frame(text);
    if (std::holds_alternative<SocketHello>(frame)) {
      count_frame("hello");
      const auto& hello = std::get<SocketHello>(frame);
      spdlog::info("slack socket mode: connection #{} ready ({} open, about {} s to live)",
                   connection.id, hello.num_connections,
                   hello.approximate_connection_seconds.value_or(0));
      std::lock_guard lock(mutex);
      connection.hello = true;
      connection.hello_at = Clock::now();
      changed.notify_all();
      return {};
    }
    if (const auto* disconnect = std::get_if<SocketDisconnect>(&frame)) {
      count_frame("disconnect");
      const std::string reason = disconnect->reason.empty() ? "unspecified" : disconnect->reason;
      spdlog::info("slack socket mode: Slack asks connection #{} to move ({})", connection.id,
                   reason);
      metrics.increment(kSocketReconnectsMetric, {{"reason", reason_label(reason)}});
      if (reason == "link_disabled")
        spdlog::warn("slack socket mode: Socket Mode is turned off in the app settings; "
                     "connecting again will fail until it is turned back on");
      std::lock_guard lock(mutex);
      connection.moving = reason;
      changed.notify_all();
      return {};
    }
    if (const auto* unreadable = std::get_if<SocketUnreadable>(&frame)) {
      spdlog::warn("slack socket mode: ignored a frame on connection #{}: {}", connection.id,
                   unreadable->why);
      return {};
    }
    const auto& envelope = std::get<SocketEnvelope>(frame);
    count_frame(envelope_label(envelope.type));
    return answer(envelope);
  }

  // The same step as the HTTP route of its kind; the ack goes out only after `accept` stored it.
  std::string answer(const SocketEnvelope& envelope) {
    SlackAnswer reply;
    try {
      const std::string body = http_body_of(envelope);
      if (envelope.type == "events_api") {
        reply = inbound.event(body);
      } else if (envelope.type == "slash_commands") {
        reply = inbound.command(body, "envelope:" + envelope.envelope_id);
      } else if (envelope.type == "interactive") {
        reply = inbound.interaction(body);
      } else {
        spdlog::debug("slack socket mode: acknowledged an envelope of unknown type {}",
                      envelope.type);
      }
    } catch (const std::exception& error) {
      spdlog::error("slack socket mode: envelope {} ({}) not stored, left unacknowledged so Slack "
                    "delivers it again: {}",
                    envelope.envelope_id, envelope.type, error.what());
      return {};
    }
    return socket_ack(envelope, reply.json_body);
  }

  void on_end(Connection& connection, const std::string& why) {
    std::lock_guard lock(mutex);
    connection.ended = true;
    connection.end_why = why;
    changed.notify_all();
  }

  // --- on the client's thread ------------------------------------------------------------

  milliseconds delay_before(int failures) {
    if (failures == 0) {
      // A first reconnect goes at once, spread a little so many coaches do not move together.
      return milliseconds(std::uniform_int_distribution<long long>(
          0, std::max<long long>(1, settings.first_retry.count() / 4))(rng));
    }
    long long base = settings.first_retry.count();
    for (int i = 1; i < failures && base < settings.max_retry.count(); ++i)
      base *= 2;
    base = std::min<long long>(base, settings.max_retry.count());
    return milliseconds(std::uniform_int_distribution<long long>(base / 2, base)(rng));
  }

  // A fresh URL from Slack and a link to it; nullptr (logged) when either fails.
  std::shared_ptr<Connection> open_connection() {
    std::string url;
    try {
      const auto answer = api->call("apps.connections.open", nlohmann::json::object());
      if (const auto it = answer.find("url"); it != answer.end() && it->is_string())
        url = it->get<std::string>();
    } catch (const std::exception& error) {
      spdlog::warn("slack socket mode: apps.connections.open failed: {}", error.what());
      return nullptr;
    }
    auto connection = std::make_shared<Connection>();
    Connection* raw = connection.get();
    {
      std::lock_guard lock(mutex);
      connection->id = ++next_id;
    }
    SocketLinkOptions options;
    options.url = url;
    options.ca_file = settings.ca_file;
    options.idle_timeout = settings.idle_timeout;
    try {
      connection->link = std::make_unique<SocketLink>(
          options, [this, raw](const std::string& text) { return on_frame(*raw, text); },
          [this, raw](const std::string& why) { on_end(*raw, why); });
    } catch (const std::exception&) {
      // The URL itself is a credential: say only that it was unusable.
      spdlog::warn("slack socket mode: apps.connections.open returned no usable ws(s) URL");
      return nullptr;
    }
    return connection;
  }

  // Destroys (joins) the closing connections that have ended; called with the lock held.
  void reap(std::unique_lock<std::mutex>& lock) {
    std::vector<std::shared_ptr<Connection>> done;
    auto ended = std::stable_partition(retiring.begin(), retiring.end(),
                                       [](const auto& c) { return !c->ended; });
    done.assign(std::make_move_iterator(ended), std::make_move_iterator(retiring.end()));
    retiring.erase(ended, retiring.end());
    if (done.empty())
      return;
    lock.unlock();
    done.clear();  // joins their threads, whose callbacks take the lock
    lock.lock();
  }

  void run() {
    int failures = 0;  // connects failed (or connections dropped young) in a row
    std::unique_lock lock(mutex);
    while (!stopping) {
      if (serving && serving->hello && Clock::now() - serving->hello_at >= kHealthyAfter)
        failures = 0;
      if (serving && serving->ended) {
        spdlog::warn("slack socket mode: connection #{} lost ({}); reconnecting", serving->id,
                     serving->end_why);
        metrics.increment(kSocketReconnectsMetric, {{"reason", "dropped"}});
        metrics.set(kSocketConnectedMetric, {}, 0);
        if (Clock::now() - serving->hello_at < kHealthyAfter)
          ++failures;
        retiring.push_back(std::move(serving));
        serving = nullptr;
      }
      reap(lock);
      if (serving && serving->moving.empty()) {
        changed.wait(lock, [&] {
          return stopping || serving->ended || !serving->moving.empty() ||
                 std::any_of(retiring.begin(), retiring.end(), [](const auto& c) { return c->ended; });
        });
        continue;
      }
      // No connection, or Slack asked the serving one to move: open a fresh one first. While the
      // old one still serves, only repeated failures wait.
      if (!serving || failures > 0) {
        const auto delay = delay_before(failures);
        changed.wait_for(lock, delay, [&] { return stopping; });
        if (stopping)
          break;
      }
      lock.unlock();
      auto fresh = open_connection();
      lock.lock();
      if (fresh) {
        changed.wait_for(lock, settings.hello_timeout,
                         [&] { return stopping || fresh->hello || fresh->ended; });
      }
      if (fresh && fresh->hello && !fresh->ended) {
        if (serving) {
          // Only now that the fresh one is ready: no moment without a connection.
          serving->link->close();
          retiring.push_back(std::move(serving));
        }
        serving = std::move(fresh);
        metrics.increment(kSocketConnectionsMetric, {});
        metrics.set(kSocketConnectedMetric, {}, 1);
        spdlog::info("slack socket mode: connection #{} to {} serving", serving->id,
                     serving->link->where());
        continue;
      }
      ++failures;
      if (fresh) {
        spdlog::warn("slack socket mode: connection #{} did not come up ({}); trying again",
                     fresh->id, fresh->ended ? fresh->end_why : "no hello in time");
        fresh->link->close();
        retiring.push_back(std::move(fresh));
      }
    }
    // Stopping: close everything, then wait for the links outside the lock.
    std::vector<std::shared_ptr<Connection>> all = std::move(retiring);
    if (serving)
      all.push_back(std::move(serving));
    for (const auto& connection : all)
      connection->link->close();
    metrics.set(kSocketConnectedMetric, {}, 0);
    lock.unlock();
    all.clear();
  }
};

SocketMode::SocketMode(SocketModeSettings settings, const SlackInbound& inbound,
                       metrics::Registry& metrics)
    : state_(std::make_unique<State>(std::move(settings), inbound, metrics)) {
  define_socket_mode_metrics(metrics);
}

SocketMode::~SocketMode() {
  stop();
}

void SocketMode::start() {
  auto& s = *state_;
  if (s.thread.joinable())
    return;
  http::ClientOptions options;
  options.ca_file = s.settings.ca_file;
  options.total_timeout = std::chrono::seconds(10);
  s.client.emplace(options);
  s.api.emplace(*s.client, s.settings.api_url, s.settings.app_token);
  s.metrics.set(kSocketConnectedMetric, {}, 0);
  s.thread = std::thread([&s] { s.run(); });
}

void SocketMode::stop() {
  auto& s = *state_;
  if (!s.thread.joinable())
    return;
  {
    std::lock_guard lock(s.mutex);
    s.stopping = true;
  }
  s.changed.notify_all();
  s.thread.join();
}

}  // namespace okr::bot::slack
