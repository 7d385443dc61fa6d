#pragma once
// The HTTP/1.1 listener: accepts connections on a pool of threads and serves each one's
// requests through the Router, within config::HttpLimits (413/431/408/503 answers, idle
// keep-alive timeout), writing one access-log line and metrics per request.
// Beast and Asio stay inside the .cpp files; this header is cheap to include.
#include <cstdint>
#include <memory>
#include <string>

#include "config/config.hpp"

namespace okr::bot::metrics {
class Registry;
}

namespace okr::bot::http {

class Router;

class HttpServer {
 public:
  // `router` and `metrics` must outlive the server. `threads` < 1 counts as 1.
  HttpServer(config::HttpLimits limits, const Router& router, metrics::Registry& metrics,
             unsigned threads);
  ~HttpServer();  // stops (as request_stop + wait) if still running
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Before start(): serve HTTPS with this PEM certificate chain and unencrypted PEM key
  // instead of plain HTTP. Throws std::runtime_error naming the file when one cannot be used
  // or the key does not belong to the certificate (never showing key material).
  void serve_https(const std::string& cert_file, const std::string& key_file);

  // Binds and starts serving; returns the bound port (useful with port 0). Throws
  // std::system_error naming the address when it cannot listen (e.g. the port is in use).
  std::uint16_t start(const std::string& host, std::uint16_t port);

  // Graceful stop, safe from any thread and more than once: stop accepting, close idle
  // connections, let requests already being read or handled finish (answered with
  // Connection: close), and close whatever is left after limits.shutdown_grace.
  void request_stop();

  // Blocks until every server thread has finished (after request_stop).
  void wait();

  // Connections currently being served (not counting ones refused with 503).
  std::size_t open_connections() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace okr::bot::http
