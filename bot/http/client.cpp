#include "bot/http/client.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <mutex>
#include <unordered_map>

#include <sys/socket.h>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>

#include "bot/http/request.hpp"
#include "bot/http/trusted_cas.hpp"
#include "config/config.hpp"

namespace okr::bot::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t kMaxResponseHeaderBytes = 64 * 1024;

// Where a request goes. The full URL is never put in an error: a response_url is itself a
// credential, so errors name only host and port.
struct Endpoint {
  bool https = false;
  std::string host;         // for resolving, SNI and certificate checks (no IPv6 brackets)
  std::string port;         // explicit or the scheme's default
  std::string host_header;  // as written in the URL, with the port when one was given
  std::string target;       // path and query, raw
  std::string where() const { return host_header.empty() ? host + ":" + port : host_header; }
  std::string pool_key() const { return (https ? "https://" : "http://") + host + ":" + port; }
};

Endpoint parse_endpoint(const std::string& url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) {
    throw ClientError(ClientErrorKind::invalid_url, "http client: not an absolute URL");
  }
  Endpoint out;
  const auto scheme = parsed->scheme_id();
  if (scheme != boost::urls::scheme::http && scheme != boost::urls::scheme::https) {
    throw ClientError(ClientErrorKind::invalid_url, "http client: only http and https URLs");
  }
  out.https = scheme == boost::urls::scheme::https;
  if (!parsed->has_authority() || parsed->encoded_host().empty()) {
    throw ClientError(ClientErrorKind::invalid_url, "http client: the URL has no host");
  }
  out.host = parsed->host_address();
  out.port = parsed->has_port() ? std::string(parsed->port()) : (out.https ? "443" : "80");
  out.host_header = std::string(parsed->encoded_host_and_port());
  out.target = std::string(parsed->encoded_path());
  if (out.target.empty()) {
    out.target = "/";
  }
  if (parsed->has_query()) {
    out.target += "?" + std::string(parsed->encoded_query());
  }
  return out;
}

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One pooled connection. Each owns its io_context so that the calling thread can run exactly
// this connection's work, bounded by a deadline, without a shared network thread.
struct Connection {
  asio::io_context io{1};
  tcp::resolver resolver{io};
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<TlsStream> tls;
  beast::flat_buffer buffer;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  void close() {
    error_code ignored;
    resolver.cancel();
    lowest().socket().close(ignored);
  }

  // A pooled connection the server has closed meanwhile reads as EOF (or an error) right away;
  // one with nothing to read, or unread TLS records (session tickets), is still usable.
  bool looks_alive() {
    auto& socket = lowest().socket();
    if (!socket.is_open()) {
      return false;
    }
    char byte = 0;
    const ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0) {
      return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    }
    return n > 0;
  }
};

// Runs `work` on the connection's io_context until it finishes or `deadline` passes. On the
// deadline the socket is closed so the work ends, and this returns false. An exception thrown
// by the work is rethrown here.
template <typename Work>
bool run_until(Connection& connection, Work work, Clock::time_point deadline) {
  bool finished = false;
  std::exception_ptr failure;
  asio::co_spawn(connection.io, std::move(work), [&](std::exception_ptr error) {
    finished = true;
    failure = error;
  });
  connection.io.restart();
  connection.io.run_until(deadline);
  bool in_time = finished;
  if (!finished) {
    connection.close();
    connection.io.restart();
    connection.io.run();
  }
  if (in_time && failure) {
    std::rethrow_exception(failure);
  }
  return in_time;
}

std::string millis(std::chrono::milliseconds ms) {
  return std::to_string(ms.count()) + " ms";
}

asio::awaitable<void> connect(Connection& connection, const Endpoint& endpoint) {
  auto [resolve_error, results] =
      co_await connection.resolver.async_resolve(endpoint.host, endpoint.port, kTuple);
  if (resolve_error) {
    throw ClientError(
        ClientErrorKind::connect_failed,
        "http client: cannot resolve " + endpoint.where() + ": " + resolve_error.message());
  }
  auto [connect_error, peer] = co_await connection.lowest().async_connect(results, kTuple);
  (void)peer;
  if (connect_error) {
    throw ClientError(
        ClientErrorKind::connect_failed,
        "http client: cannot connect to " + endpoint.where() + ": " + connect_error.message());
  }
  if (!connection.tls) {
    co_return;
  }
  auto [handshake_error] =
      co_await connection.tls->async_handshake(ssl::stream_base::client, kTuple);
  if (handshake_error) {
    std::string detail = handshake_error.message();
    const long verify = SSL_get_verify_result(connection.tls->native_handle());
    if (verify != X509_V_OK) {
      detail = std::string("certificate not trusted: ") + X509_verify_cert_error_string(verify);
    }
    throw ClientError(ClientErrorKind::tls_failed,
                      "http client: TLS with " + endpoint.where() + " failed: " + detail);
  }
}

// What one request/response exchange on a connection gave.
struct Exchange {
  ClientResponse response;
  bool complete = false;
  bool keep_alive = false;
  // Writing failed: the server never saw the whole request (its Content-Length was not met),
  // so it cannot have acted on it.
  bool not_delivered = false;
  // The whole request was written, then the connection ended before any answer byte: the
  // server may or may not have acted on it.
  bool sent_unanswered = false;
  // The whole request was written (whatever came after): when the time runs out from here, the
  // server may have acted on it.
  bool sent_whole = false;
  std::string failure;
};

template <typename Stream>
asio::awaitable<void> exchange(Stream& stream, beast::flat_buffer& buffer,
                               const bhttp::request<bhttp::string_body>& request,
                               std::size_t max_body, Exchange& out) {
  auto [write_error, written] = co_await bhttp::async_write(stream, request, kTuple);
  (void)written;
  if (write_error) {
    out.not_delivered = true;
    out.failure = "sending the request failed: " + write_error.message();
    co_return;
  }
  out.sent_whole = true;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.header_limit(kMaxResponseHeaderBytes);
  parser.body_limit(max_body);
  auto [read_error, read] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
  (void)read;
  if (read_error) {
    out.sent_unanswered = !parser.got_some();
    out.failure = "reading the answer failed: " + read_error.message();
    co_return;
  }
  auto& message = parser.get();
  out.response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    out.response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.response.body = std::move(message.body());
  out.keep_alive = message.keep_alive();
  out.complete = true;
}

// Methods RFC 9110 section 9.2.2 defines as idempotent: sending one twice has the effect of
// sending it once, so an unanswered one may go again.
bool idempotent(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
         method == "OPTIONS";
}

// The request's method, host and path for an error, without the query and without path
// segments past the second: deeper ones carry ids and, in a Slack response_url
// (/actions/T.../.../<secret>), the credential itself.
std::string described(const std::string& method, const Endpoint& endpoint) {
  std::string path = endpoint.target.substr(0, endpoint.target.find('?'));
  std::size_t slash = 0;
  for (int segment = 0; segment < 3 && slash != std::string::npos; ++segment) {
    slash = path.find('/', slash + (segment == 0 ? 0 : 1));
  }
  if (slash != std::string::npos && slash + 1 < path.size()) {
    path = path.substr(0, slash) + "/...";
  }
  return method + " " + endpoint.where() + path;
}

bhttp::request<bhttp::string_body> build_request(const ClientRequest& in, const Endpoint& endpoint,
                                                 const ClientOptions& options) {
  bhttp::request<bhttp::string_body> request;
  request.version(11);
  const auto verb = bhttp::string_to_verb(in.method);
  if (verb == bhttp::verb::unknown) {
    request.method_string(in.method);
  } else {
    request.method(verb);
  }
  request.target(endpoint.target);
  request.set(bhttp::field::host, endpoint.host_header);
  request.set(bhttp::field::user_agent, options.user_agent);
  for (const auto& [name, value] : in.headers) {
    if (iequals(name, "Host") || iequals(name, "Content-Length")) {
      continue;
    }
    request.insert(name, value);
  }
  request.body() = in.body;
  request.keep_alive(true);
  request.prepare_payload();
  return request;
}

}  // namespace

std::string_view to_string(ClientErrorKind kind) {
  switch (kind) {
    case ClientErrorKind::invalid_url:
      return "invalid_url";
    case ClientErrorKind::timeout:
      return "timeout";
    case ClientErrorKind::connect_failed:
      return "connect_failed";
    case ClientErrorKind::tls_failed:
      return "tls_failed";
    case ClientErrorKind::protocol:
      return "protocol";
    case ClientErrorKind::outcome_unknown:
      return "outcome_unknown";
  }
  return "unknown";
}

ClientOptions client_options(const config::Config& config) {
  ClientOptions options;
  options.ca_file = config.ca_file;
  return options;
}

ClientError::ClientError(ClientErrorKind kind, const std::string& message)
    : std::runtime_error(message), kind_(kind) {}

std::optional<std::string_view> ClientResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) {
      return std::string_view(value);
    }
  }
  return std::nullopt;
}

struct HttpClient::State {
  explicit State(ClientOptions options_in) : options(std::move(options_in)) {}

  ClientOptions options;
  ssl::context tls{ssl::context::tls_client};
  std::mutex mutex;
  std::unordered_map<std::string, std::vector<std::unique_ptr<Connection>>> idle;
  std::atomic<std::size_t> opened{0};

  std::unique_ptr<Connection> take_idle(const std::string& key) {
    std::vector<std::unique_ptr<Connection>> stale;  // closed outside the lock
    std::unique_ptr<Connection> found;
    {
      std::lock_guard lock(mutex);
      auto& list = idle[key];
      while (!list.empty() && !found) {
        auto candidate = std::move(list.back());
        list.pop_back();
        if (candidate->looks_alive()) {
          found = std::move(candidate);
        } else {
          stale.push_back(std::move(candidate));
        }
      }
    }
    return found;
  }

  void give_back(const std::string& key, std::unique_ptr<Connection> connection) {
    std::lock_guard lock(mutex);
    auto& list = idle[key];
    if (list.size() < options.max_idle_per_host) {
      list.push_back(std::move(connection));
    }
  }

  std::unique_ptr<Connection> open(const Endpoint& endpoint, Clock::time_point deadline) {
    auto connection = std::make_unique<Connection>();
    if (endpoint.https) {
      connection->tls = std::make_unique<TlsStream>(connection->io, tls);
      SSL* handle = connection->tls->native_handle();
      X509_VERIFY_PARAM* param = SSL_get0_param(handle);
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      error_code not_ip;
      asio::ip::make_address(endpoint.host, not_ip);
      // An IP literal must match an IP SAN; a name must match a DNS SAN, and is sent as SNI.
      const bool ok = not_ip ? SSL_set_tlsext_host_name(handle, endpoint.host.c_str()) == 1 &&
                                   X509_VERIFY_PARAM_set1_host(param, endpoint.host.c_str(), 0) == 1
                             : X509_VERIFY_PARAM_set1_ip_asc(param, endpoint.host.c_str()) == 1;
      if (!ok) {
        throw ClientError(ClientErrorKind::tls_failed,
                          "http client: cannot set up TLS for " + endpoint.where());
      }
    } else {
      connection->plain = std::make_unique<beast::tcp_stream>(connection->io);
    }
    ++opened;
    const auto connect_deadline = std::min(deadline, Clock::now() + options.connect_timeout);
    if (!run_until(*connection, connect(*connection, endpoint), connect_deadline)) {
      const std::string limit = connect_deadline == deadline
                                    ? std::string("the request's time limit")
                                    : "the connect timeout of " + millis(options.connect_timeout);
      throw ClientError(ClientErrorKind::timeout, "http client: connecting to " + endpoint.where() +
                                                      " took longer than " + limit);
    }
    return connection;
  }
};

HttpClient::HttpClient(ClientOptions options)
    : state_(std::make_unique<State>(std::move(options))) {
  auto& tls = state_->tls;
  tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  tls.set_verify_mode(ssl::verify_peer);
  if (const auto error = trust_cas(tls, state_->options.ca_file)) {
    throw ClientError(ClientErrorKind::tls_failed,
                      "http client: cannot load CA certificates" +
                          (state_->options.ca_file.empty() ? std::string(" (system store)")
                                                           : " from " + state_->options.ca_file) +
                          ": " + error.message());
  }
}

HttpClient::~HttpClient() = default;

ClientResponse HttpClient::send(const ClientRequest& request) {
  const Endpoint endpoint = parse_endpoint(request.url);
  const auto budget = request.timeout.value_or(state_->options.total_timeout);
  const auto deadline = Clock::now() + budget;
  const auto message = build_request(request, endpoint, state_->options);
  const std::string key = endpoint.pool_key();

  // One more try on a fresh connection, and only when that cannot make the server act twice
  // (see client.hpp). A pooled connection found closed before writing is simply skipped by
  // take_idle; one that fails on writing or, for an idempotent method, ends before any answer
  // byte is what the single re-send is for.
  const bool may_resend_unanswered = idempotent(request.method);
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<Connection> connection = attempt == 0 ? state_->take_idle(key) : nullptr;
    if (!connection) {
      connection = state_->open(endpoint, deadline);
    }
    Exchange result;
    const auto max_body = state_->options.max_response_bytes;
    auto work = [&]() -> asio::awaitable<void> {
      if (connection->tls) {
        co_await exchange(*connection->tls, connection->buffer, message, max_body, result);
      } else {
        co_await exchange(*connection->plain, connection->buffer, message, max_body, result);
      }
    };
    if (!run_until(*connection, work, deadline)) {
      if (result.sent_whole && !may_resend_unanswered) {
        // Same as a connection closed unanswered: the server may be acting on it right now.
        throw ClientError(ClientErrorKind::outcome_unknown,
                          "http client: " + described(request.method, endpoint) +
                              " was sent whole but no complete answer came within " +
                              millis(budget) + "; it may have been processed, so it was not "
                              "sent again");
      }
      throw ClientError(
          ClientErrorKind::timeout,
          "http client: no complete answer from " + endpoint.where() + " within " + millis(budget));
    }
    if (!result.complete) {
      const bool safe_to_resend =
          result.not_delivered || (result.sent_unanswered && may_resend_unanswered);
      if (attempt == 0 && safe_to_resend) {
        continue;
      }
      if (result.sent_unanswered && !may_resend_unanswered) {
        throw ClientError(ClientErrorKind::outcome_unknown,
                          "http client: " + described(request.method, endpoint) +
                              " was sent whole but the connection closed before any answer; "
                              "it may have been processed, so it was not sent again");
      }
      throw ClientError(ClientErrorKind::protocol,
                        "http client: " + endpoint.where() + ": " + result.failure);
    }
    if (result.keep_alive) {
      state_->give_back(key, std::move(connection));
    }
    return std::move(result.response);
  }
}

std::size_t HttpClient::connections_opened() const {
  return state_->opened.load();
}

void HttpClient::close_idle() {
  std::unordered_map<std::string, std::vector<std::unique_ptr<Connection>>> dropped;
  {
    std::lock_guard lock(state_->mutex);
    dropped.swap(state_->idle);
  }
}

}  // namespace okr::bot::http
