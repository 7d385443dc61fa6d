#pragma once
// Internal to bot/http: one accepted connection and its request loop. Only server.cpp and
// connection.cpp include this (it carries Asio); everything else uses server.hpp.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "config/config.hpp"

namespace okr::bot::metrics {
class Registry;
}

namespace okr::bot::http {

class AnswerBox;
class Router;
struct HttpResponse;
struct HttpRequest;
struct RouteMatch;

// What every connection shares with the server.
struct ConnectionContext {
  config::HttpLimits limits;
  const Router& router;
  metrics::Registry& metrics;
  const std::atomic<bool>& server_stopping;  // answers then say Connection: close
  boost::asio::ssl::context* tls = nullptr;   // set: every connection speaks HTTPS
};

// What HTTP is read from and written to: the TCP socket itself, or TLS over it. Deadlines,
// cancellation and closing always act on the socket underneath.
class ConnectionStream {
 public:
  using Socket = boost::asio::ip::tcp::socket;
  using executor_type = Socket::executor_type;
  using Tls = boost::asio::ssl::stream<Socket&>;

  ConnectionStream(Socket& socket, std::optional<Tls>& tls) : socket_(socket), tls_(tls) {}
  executor_type get_executor() { return socket_.get_executor(); }

  template <class Buffers, class Token>
  auto async_read_some(const Buffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const Buffers& b) {
          if (tls_)
            tls_->async_read_some(b, std::move(handler));
          else
            socket_.async_read_some(b, std::move(handler));
        },
        token, buffers);
  }
  template <class Buffers, class Token>
  auto async_write_some(const Buffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const Buffers& b) {
          if (tls_)
            tls_->async_write_some(b, std::move(handler));
          else
            socket_.async_write_some(b, std::move(handler));
        },
        token, buffers);
  }

 private:
  Socket& socket_;
  std::optional<Tls>& tls_;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // The socket's executor must be a strand: the request loop, its deadline timer and stop()
  // all run on it, so none of them needs a lock.
  using Socket = boost::asio::ip::tcp::socket;
  Connection(Socket socket, ConnectionContext context);

  // Serves requests until the client or the server ends the connection.
  static boost::asio::awaitable<void> serve(std::shared_ptr<Connection> self);
  // Answers 503 (too many connections) without reading the request, then closes.
  static boost::asio::awaitable<void> refuse(std::shared_ptr<Connection> self);

  // Thread-safe; both hop onto the connection's strand.
  void stop();         // close now if waiting for a request, else after the current answer
  void force_close();  // close now, whatever is in progress

  Socket::executor_type executor() { return socket_.get_executor(); }

 private:
  // One request/response exchange as the access log and metrics see it.
  struct Exchange {
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::string method = "-";
    std::string route;
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
  };

  boost::asio::awaitable<void> run();
  // The TLS handshake of an HTTPS connection (true at once for plain HTTP). A failure is
  // counted and logged at debug level; the caller then just closes.
  boost::asio::awaitable<bool> handshake();
  boost::asio::awaitable<bool> exchange(boost::beast::flat_buffer& buffer);
  // Hands the request to a deferred route and waits (no thread held) for its answer.
  boost::asio::awaitable<HttpResponse> answer_later(const RouteMatch& match,
                                                    HttpRequest&& request);
  boost::asio::awaitable<void> fail_read(const boost::system::error_code& error, Exchange& x);
  boost::asio::awaitable<bool> answer(Exchange& x, HttpResponse response, bool keep_alive,
                                      unsigned version);
  boost::asio::awaitable<void> close_gracefully();
  void log_access(const Exchange& x, int status) const;

  // A deadline cancels the socket's pending operations when it passes; `expired_` then tells
  // the loop why its read failed. The generation makes a restarted wait ignore a stale one.
  void arm(std::chrono::steady_clock::duration after);
  void disarm();
  void wait_for_deadline(std::chrono::steady_clock::time_point at);

  Socket socket_;
  std::optional<ConnectionStream::Tls> tls_;
  ConnectionStream stream_{socket_, tls_};
  boost::asio::steady_timer deadline_;
  ConnectionContext context_;
  std::string remote_address_;
  std::uint64_t generation_ = 0;
  std::optional<std::chrono::steady_clock::time_point> due_;  // unset: disarmed
  bool deadline_running_ = false;  // a wait on `deadline_` is pending, ending at deadline_at_
  std::chrono::steady_clock::time_point deadline_at_;
  bool expired_ = false;
  bool waiting_for_request_ = false;
  bool stop_requested_ = false;
  bool forced_ = false;
  // Set while a deferred route has the request and the connection waits for its answer.
  std::shared_ptr<AnswerBox> awaiting_answer_;
};

}  // namespace okr::bot::http
