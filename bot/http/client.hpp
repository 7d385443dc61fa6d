#pragma once
// An outgoing HTTP/1.1 client (http:// and https://) for calling other services: the Slack Web
// API, response_url posts. Beast, Asio and OpenSSL stay in client.cpp; this header is cheap.
//
// The API is blocking and thread-safe: the outbox dispatcher calls it from its own worker
// thread(s), never from the HTTP server's network threads, and a plain call keeps its retry
// loop simple. Each call runs its socket work on the calling thread, bounded by the timeouts.
//
// TLS verifies the peer against the system CA store, or only against the PEM file in
// ClientOptions::ca_file (OKR_COACH_CA_FILE) when set; SNI is sent and the certificate must
// name the host (DNS name, or IP address for a literal IP).
//
// Kept-alive connections are pooled per (scheme, host, port), at most
// ClientOptions::max_idle_per_host idle ones each. A request goes once more on a fresh
// connection only when that cannot make the server act twice: when it provably never reached
// the server (the pooled connection was found closed, or writing it failed, so the server never
// had a complete request), or when its method is idempotent (GET, HEAD, PUT, DELETE, OPTIONS)
// and the connection closed before any answer. A POST that was written completely and then got
// no answer at all, or none complete before the timeout, may or may not have been processed: it
// is not re-sent but fails with ClientErrorKind::outcome_unknown, and the caller retries with
// its own idempotency key (or, with none, gives up: see slack_sender's response_url).
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace okr::config {
struct Config;
}

namespace okr::bot::http {

struct ClientOptions {
  // Resolving plus TCP connect plus TLS handshake of a new connection.
  std::chrono::milliseconds connect_timeout{5'000};
  // The whole request: getting a connection, writing, reading the complete response.
  std::chrono::milliseconds total_timeout{15'000};
  std::size_t max_idle_per_host = 4;
  std::string ca_file;  // PEM bundle; empty = the system CA store
  std::string user_agent = "okr-coach";
  std::size_t max_response_bytes = 8 * 1024 * 1024;
};

// The defaults with the settings the config has for outgoing HTTP (ca_file: OKR_COACH_CA_FILE).
ClientOptions client_options(const config::Config& config);

struct ClientRequest {
  std::string method = "GET";
  std::string url;  // absolute: http://host[:port]/path?query or https://...
  std::vector<std::pair<std::string, std::string>> headers;  // Host/Content-Length are added
  std::string body;
  // Overrides ClientOptions::total_timeout for this request.
  std::optional<std::chrono::milliseconds> timeout;
};

struct ClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // First header with this name, compared case-insensitively.
  std::optional<std::string_view> header(std::string_view name) const;
};

enum class ClientErrorKind {
  invalid_url,     // not an absolute http(s) URL with a host
  timeout,         // connect_timeout or the total timeout passed (for a non-idempotent
                   // request only before it was sent whole: after, it is outcome_unknown)
  connect_failed,  // name resolution or TCP connect failed
  tls_failed,      // handshake or certificate verification failed, or the CA file is unusable
  protocol,        // the connection broke mid-exchange or the answer is not valid HTTP
  outcome_unknown,  // a non-idempotent request was sent whole, then the connection closed
                    // before any answer or no complete answer came in time: the server may
                    // have acted on it; not re-sent
};

std::string_view to_string(ClientErrorKind kind);

// Thrown by HttpClient::send. The message names the host and port and what went wrong (for
// outcome_unknown also the method and at most the first two path segments); never the query,
// a header value or the body (so never an Authorization token or a response_url's secret).
class ClientError : public std::runtime_error {
 public:
  ClientError(ClientErrorKind kind, const std::string& message);
  ClientErrorKind kind() const noexcept { return kind_; }

 private:
  ClientErrorKind kind_;
};

class HttpClient {
 public:
  // Throws ClientError(tls_failed) when options.ca_file is set but cannot be loaded.
  explicit HttpClient(ClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends the request and returns the complete response, whatever its status (a 500 is an
  // answer, not an error). Throws ClientError. Safe to call from several threads at once.
  ClientResponse send(const ClientRequest& request);

  // New connections opened so far (tests and metrics: proves keep-alive reuse).
  std::size_t connections_opened() const;
  // Drops every idle pooled connection.
  void close_idle();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace okr::bot::http
