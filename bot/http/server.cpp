#include "bot/http/server.hpp"

#include <pthread.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "bot/http/connection.hpp"
#include "bot/http/router.hpp"
#include "bot/http/tls_context.hpp"
#include "bot/metrics/registry.hpp"

namespace okr::bot::http {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// A coroutine that ends with an exception is a bug; say so instead of losing it silently.
auto log_failure(const char* what) {
  return [what](std::exception_ptr failure) {
    if (!failure) {
      return;
    }
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& error) {
      spdlog::error("http: {} ended with an error: {}", what, error.what());
    } catch (...) {
      spdlog::error("http: {} ended with a non-standard exception", what);
    }
  };
}

}  // namespace

struct HttpServer::State {
  State(config::HttpLimits limits_in, const Router& router, metrics::Registry& metrics,
        unsigned threads_in)
      : limits(limits_in),
        threads(threads_in < 1 ? 1 : threads_in),
        context{limits_in, router, metrics, stopping},
        io(static_cast<int>(threads)),
        control(asio::make_strand(io)),
        acceptor(control),
        grace(control) {}

  asio::awaitable<void> accept_loop();
  void begin_stop();  // on `control`
  void forget(std::uint64_t id);
  std::vector<std::shared_ptr<Connection>> live_connections();

  config::HttpLimits limits;
  unsigned threads;
  std::atomic<bool> stopping{false};
  std::unique_ptr<asio::ssl::context> tls;  // set by serve_https; outlives every connection
  ConnectionContext context;

  // Declared before everything that uses it, so it is destroyed last.
  asio::io_context io;
  asio::strand<asio::io_context::executor_type> control;  // acceptor, grace timer, stop
  tcp::acceptor acceptor;
  asio::steady_timer grace;
  bool stop_begun = false;  // on `control`

  std::mutex mutex;  // guards `connections` and `next_id`
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> connections;
  std::uint64_t next_id = 0;
  std::atomic<std::size_t> open{0};

  std::mutex workers_mutex;
  std::vector<std::thread> workers;
  bool started = false;  // under workers_mutex
};

asio::awaitable<void> HttpServer::State::accept_loop() {
  for (;;) {
    auto [error, accepted] = co_await acceptor.async_accept(asio::make_strand(io), kTuple);
    if (error) {
      if (stopping || !acceptor.is_open()) {
        co_return;
      }
      spdlog::warn("http: accept failed: {}", error.message());
      // Usually out of file descriptors: pause rather than spin on the same failure.
      asio::steady_timer pause(control, std::chrono::milliseconds(50));
      co_await pause.async_wait(kTuple);
      continue;
    }
    if (stopping) {
      continue;  // the socket closes as it goes out of scope
    }
    auto connection = std::make_shared<Connection>(tcp::socket(std::move(accepted)), context);
    if (open.load() >= limits.max_connections) {
      asio::co_spawn(connection->executor(), Connection::refuse(connection),
                     log_failure("refusing a connection"));
      continue;
    }
    std::uint64_t id = 0;
    {
      std::lock_guard lock(mutex);
      id = next_id++;
      connections.emplace(id, connection);
    }
    ++open;
    auto finished = [this, id, report = log_failure("a connection")](std::exception_ptr failure) {
      report(failure);
      forget(id);
    };
    asio::co_spawn(connection->executor(), Connection::serve(connection), std::move(finished));
  }
}

void HttpServer::State::forget(std::uint64_t id) {
  {
    std::lock_guard lock(mutex);
    connections.erase(id);
  }
  if (--open == 0 && stopping) {
    // The last connection is done: no need to wait out the rest of the grace period.
    asio::post(control, [this] {
      if (open.load() == 0) {
        grace.cancel();
      }
    });
  }
}

std::vector<std::shared_ptr<Connection>> HttpServer::State::live_connections() {
  std::vector<std::shared_ptr<Connection>> live;
  std::lock_guard lock(mutex);
  for (auto& [id, weak] : connections) {
    if (auto connection = weak.lock()) {
      live.push_back(std::move(connection));
    }
  }
  return live;
}

void HttpServer::State::begin_stop() {
  if (stop_begun) {
    return;
  }
  stop_begun = true;
  error_code ignored;
  acceptor.close(ignored);
  auto live = live_connections();
  for (auto& connection : live) {
    connection->stop();
  }
  if (open.load() == 0) {
    return;
  }
  grace.expires_after(limits.shutdown_grace);
  grace.async_wait([this](error_code error) {
    if (error) {
      return;  // cancelled: every connection finished in time
    }
    auto remaining = live_connections();
    spdlog::warn("http: shutdown grace of {} ms is over; closing {} connection(s)",
                 limits.shutdown_grace.count(), remaining.size());
    for (auto& connection : remaining) {
      connection->force_close();
    }
  });
}

HttpServer::HttpServer(config::HttpLimits limits, const Router& router, metrics::Registry& metrics,
                       unsigned threads)
    : state_(std::make_unique<State>(limits, router, metrics, threads)) {}

HttpServer::~HttpServer() {
  request_stop();
  wait();
}

void HttpServer::serve_https(const std::string& cert_file, const std::string& key_file) {
  auto& s = *state_;
  {
    std::lock_guard lock(s.workers_mutex);
    if (s.started) {
      throw std::logic_error("HttpServer::serve_https called after start");
    }
  }
  s.tls = make_server_tls(cert_file, key_file);
  s.context.tls = s.tls.get();
  s.context.metrics.define_counter(kTlsHandshakeFailures,
                                   "TLS handshakes that failed (plain HTTP on the HTTPS port, old "
                                   "protocols, clients that gave up).");
}

std::uint16_t HttpServer::start(const std::string& host, std::uint16_t port) {
  auto& s = *state_;
  {
    std::lock_guard lock(s.workers_mutex);
    if (s.started) {
      throw std::logic_error("HttpServer::start called twice");
    }
  }
  const std::string where = host + ":" + std::to_string(port);
  error_code error;
  tcp::endpoint endpoint;
  auto address = asio::ip::make_address(host, error);
  if (!error) {
    endpoint = tcp::endpoint(address, port);
  } else {
    tcp::resolver resolver(s.io);
    auto results = resolver.resolve(host, std::to_string(port), error);
    if (error || results.empty()) {
      throw std::runtime_error("cannot resolve listen address " + where + ": " +
                               (error ? error.message() : std::string("no addresses")));
    }
    endpoint = results.begin()->endpoint();
  }
  auto fail = [&](const char* step) {
    throw std::runtime_error(std::string("cannot listen on ") + where + " (" + step +
                             "): " + error.message());
  };
  s.acceptor.open(endpoint.protocol(), error);
  if (error) {
    fail("open");
  }
  s.acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  s.acceptor.bind(endpoint, error);
  if (error) {
    fail("bind");
  }
  s.acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    fail("listen");
  }
  const auto bound = s.acceptor.local_endpoint(error).port();

  asio::co_spawn(s.control, s.accept_loop(), log_failure("the accept loop"));
  std::lock_guard lock(s.workers_mutex);
  s.started = true;
  for (unsigned i = 0; i < s.threads; ++i) {
    s.workers.emplace_back([&s] {
      // Named for top -H and perf; the background threads run at a lower priority than these
      // (bot/pipeline/thread_role.hpp).
      pthread_setname_np(pthread_self(), "okr-http");
      for (;;) {
        try {
          s.io.run();
          return;
        } catch (const std::exception& failure) {
          spdlog::error("http: worker thread caught: {}", failure.what());
        }
      }
    });
  }
  return bound;
}

void HttpServer::request_stop() {
  auto& s = *state_;
  s.stopping = true;
  asio::post(s.control, [&s] { s.begin_stop(); });
}

void HttpServer::wait() {
  auto& s = *state_;
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(s.workers_mutex);
    workers.swap(s.workers);
  }
  for (auto& worker : workers) {
    worker.join();
  }
}

std::size_t HttpServer::open_connections() const {
  return state_->open.load();
}

}  // namespace okr::bot::http
