#include "bot/http/connection.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <mutex>
#include <optional>
#include <tuple>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "bot/http/request.hpp"
#include "bot/http/router.hpp"
#include "bot/http/tls_context.hpp"
#include "bot/metrics/http_metrics.hpp"
#include "bot/metrics/registry.hpp"

namespace okr::bot::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace wire = boost::beast::http;
using boost::system::error_code;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// After answering with Connection: close we keep reading (and discarding) for a moment, so
// the client receives our answer instead of a reset caused by its unread bytes.
constexpr std::chrono::seconds kLingerFor{2};
constexpr std::size_t kLingerBytes = 1024 * 1024;
// What one read takes while waiting for a request: a whole typical Slack event in one go.
constexpr std::size_t kFirstReadBytes = 8192;

// What a request still waiting for its handler gets when the shutdown grace is over.
HttpResponse shutting_down() {
  return json_error(503, "shutting_down", "The server is restarting; please try again.");
}

bool is_parse_error(const error_code& error) {
  static const auto& category = wire::make_error_code(wire::error::bad_target).category();
  return error.category() == category && error != wire::error::end_of_stream &&
         error != wire::error::partial_message;
}

}  // namespace

// Where a deferred handler's answer meets the connection that waits for it. The handler answers
// on any thread; the connection waits on its strand without a thread, and its coroutine is
// resumed by one post of its own handler: no timer, no second trip through the scheduler.
class AnswerBox {
 public:
  // From any thread. False when the handler had answered already (this answer is dropped).
  bool deliver(HttpResponse response) {
    std::unique_ptr<Waiter> waiter;
    {
      std::lock_guard lock(mutex_);
      if (answered_)
        return false;
      answered_ = true;
      if (abandoned_)
        return true;  // the client was given up on; the answer has nowhere to go
      if (!waiter_) {
        response_ = std::move(response);
        return true;
      }
      waiter = std::move(waiter_);
    }
    waiter->complete(std::move(response));
    return true;
  }

  // Whether the handler has answered (also when the connection was given up on meanwhile).
  bool answered() {
    std::lock_guard lock(mutex_);
    return answered_;
  }

  // On the connection's strand, when the server's shutdown grace is over: the waiting
  // connection gets `instead` now; the handler's answer, should it still come, is dropped.
  void abandon(HttpResponse instead) {
    std::unique_ptr<Waiter> waiter;
    {
      std::lock_guard lock(mutex_);
      if (abandoned_ || (answered_ && !waiter_))
        return;  // answered already: that answer is on its way
      abandoned_ = true;
      waiter = std::move(waiter_);
      if (!waiter) {
        response_ = std::move(instead);
        return;
      }
    }
    waiter->complete(std::move(instead));
  }

  // Completes with the answer: later, when it is not there yet.
  template <class Token>
  auto async_wait(Token&& token) {
    return asio::async_initiate<Token, void(HttpResponse)>(
        [this](auto handler) {
          using Handler = decltype(handler);
          auto waiter = std::make_unique<Posting<Handler>>(std::move(handler));
          std::optional<HttpResponse> ready;
          {
            std::lock_guard lock(mutex_);
            if (response_)
              ready = std::move(response_);
            else
              waiter_ = std::move(waiter);
          }
          if (ready)  // never completed inside the initiation: posted like any other answer
            waiter->complete(std::move(*ready));
        },
        token);
  }

 private:
  struct Waiter {
    virtual ~Waiter() = default;
    virtual void complete(HttpResponse response) = 0;
  };
  // Resumes the waiting coroutine on its own executor (the connection's strand).
  template <class Handler>
  struct Posting final : Waiter {
    explicit Posting(Handler h) : handler(std::move(h)) {}
    void complete(HttpResponse response) override {
      auto executor = asio::get_associated_executor(handler);
      asio::post(executor,
                 [handler = std::move(handler), response = std::move(response)]() mutable {
                   std::move(handler)(std::move(response));
                 });
    }
    Handler handler;
  };

  std::mutex mutex_;
  std::optional<HttpResponse> response_;  // arrived before the connection waited for it
  std::unique_ptr<Waiter> waiter_;        // the connection waits
  bool answered_ = false;                 // the handler (or its dropped respond) answered
  bool abandoned_ = false;                // the connection stopped waiting (forced close)
};

namespace {

// Shared by every copy of one `respond`. Whoever answers first wins; when the last copy goes
// away without an answer, the client gets a 500 instead of waiting forever.
class PendingAnswer {
 public:
  PendingAnswer(std::shared_ptr<AnswerBox> box, std::string route)
      : box_(std::move(box)), route_(std::move(route)) {}
  PendingAnswer(const PendingAnswer&) = delete;
  PendingAnswer& operator=(const PendingAnswer&) = delete;
  ~PendingAnswer() {
    // Almost always answered: the 500 is built only when it is needed (it costs as much as a
    // tenth of an inbox write). Nobody else can answer meanwhile: this was the last `respond`.
    if (box_->answered())
      return;
    if (box_->deliver(
            json_error(500, "internal", "Something went wrong on our side; please try again."))) {
      spdlog::error("handler for {} dropped its respond without answering", route_);
    }
  }

  // False when an answer was already there (this one is dropped).
  bool fill(HttpResponse response) { return box_->deliver(std::move(response)); }

  const std::string& route() const { return route_; }

 private:
  std::shared_ptr<AnswerBox> box_;
  std::string route_;
};

}  // namespace

Connection::Connection(Socket socket, ConnectionContext context)
    : socket_(std::move(socket)),
      deadline_(socket_.get_executor()),
      context_(std::move(context)) {
  if (context_.tls != nullptr) {
    tls_.emplace(socket_, *context_.tls);
  }
  error_code ignored;
  auto peer = socket_.remote_endpoint(ignored);
  remote_address_ = ignored ? std::string("-") : peer.address().to_string();
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
}

asio::awaitable<void> Connection::serve(std::shared_ptr<Connection> self) {
  co_await self->run();
  self->disarm();
  error_code ignored;
  self->socket_.close(ignored);
}

asio::awaitable<void> Connection::refuse(std::shared_ptr<Connection> self) {
  // Over HTTPS the 503 can only be read after a handshake; it gets the usual deadline.
  self->arm(self->context_.limits.read_timeout);
  if (!co_await self->handshake()) {
    self->disarm();
    error_code ignored;
    self->socket_.close(ignored);
    co_return;
  }
  Exchange x;
  x.route = std::string(kUnmatchedRoute);
  auto response = json_error(503, "overloaded", "Too many open connections; try again shortly.");
  response.headers.emplace_back("Retry-After", "1");
  co_await self->answer(x, std::move(response), false, 11);
  self->disarm();
}

void Connection::stop() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->stop_requested_ = true;
    if (self->waiting_for_request_) {
      error_code ignored;
      self->socket_.cancel(ignored);
    }
  });
}

void Connection::force_close() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->forced_ = true;
    if (self->awaiting_answer_) {
      // The request is read and still waits for its handler: answer 503 rather than vanish.
      self->awaiting_answer_->abandon(shutting_down());
      return;
    }
    error_code ignored;
    self->socket_.close(ignored);
  });
}

void Connection::arm(std::chrono::steady_clock::duration after) {
  expired_ = false;
  due_ = std::chrono::steady_clock::now() + after;
  // Lazy: a wait already running that ends no later than the new deadline re-checks `due_` when
  // it fires, so moving a deadline later (every request does, several times) costs no timer
  // operation; only an earlier deadline restarts the wait.
  if (deadline_running_ && deadline_at_ <= *due_) {
    return;
  }
  wait_for_deadline(*due_);
}

void Connection::wait_for_deadline(std::chrono::steady_clock::time_point at) {
  deadline_running_ = true;
  deadline_at_ = at;
  deadline_.expires_at(at);  // cancels a running wait, whose handler then sees a newer generation
  // Weak: a finished connection is not kept alive by its idle deadline.
  deadline_.async_wait([weak = weak_from_this(), generation = ++generation_](error_code error) {
    auto self = weak.lock();
    if (!self || generation != self->generation_) {
      return;
    }
    self->deadline_running_ = false;
    if (error || !self->due_) {
      return;  // disarmed (or the timer is going away)
    }
    if (std::chrono::steady_clock::now() < *self->due_) {
      self->wait_for_deadline(*self->due_);  // the deadline moved later since this wait began
      return;
    }
    self->due_.reset();
    self->expired_ = true;
    error_code ignored;
    self->socket_.cancel(ignored);
  });
}

void Connection::disarm() {
  due_.reset();
}

asio::awaitable<void> Connection::run() {
  const auto& limits = context_.limits;
  beast::flat_buffer buffer;
  bool first = true;
  // A new connection gets read_timeout for its first request, counted from the accept, so a
  // client that connects and says nothing cannot hold a slot. The TLS handshake is inside it.
  arm(limits.read_timeout);
  if (!co_await handshake()) {
    co_return;
  }
  for (;;) {
    if (buffer.size() == 0) {
      if (!first) {
        arm(limits.idle_timeout);
      }
      if (stop_requested_ || context_.server_stopping) {
        co_return;
      }
      // The first bytes are read straight into the buffer (no separate wait for readability:
      // one reactor round trip less per request); they start the request's read deadline.
      waiting_for_request_ = true;
      auto [error, received] =
          co_await stream_.async_read_some(buffer.prepare(kFirstReadBytes), kTuple);
      waiting_for_request_ = false;
      buffer.commit(received);
      if (error) {
        if (expired_ && first && !stop_requested_ && !forced_) {
          Exchange x;
          x.route = std::string(kUnmatchedRoute);
          co_await answer(x, json_error(408, "request_timeout", "No request arrived in time."),
                          false, 11);
        }
        co_return;  // idle timeout, stop or a broken socket: nothing to answer
      }
      if (!first) {
        arm(limits.read_timeout);
      }
    } else if (!first) {
      arm(limits.read_timeout);  // a pipelined request is already waiting in the buffer
    }
    first = false;
    if (!co_await exchange(buffer)) {
      co_return;
    }
  }
}

asio::awaitable<bool> Connection::handshake() {
  if (!tls_) {
    co_return true;
  }
  auto [error] = co_await tls_->async_handshake(asio::ssl::stream_base::server, kTuple);
  if (!error) {
    co_return true;
  }
  // Plain HTTP on the TLS port, an outdated protocol, a scanner or a client that gave up: none
  // is ours to fix, so debug level; the counter shows when it becomes many.
  context_.metrics.increment(kTlsHandshakeFailures, {});
  spdlog::debug("http: TLS handshake with {} failed: {}", remote_address_,
                expired_ ? std::string("timed out") : error.message());
  co_return false;
}

asio::awaitable<bool> Connection::exchange(beast::flat_buffer& buffer) {
  const auto& limits = context_.limits;
  Exchange x;
  x.route = std::string(kUnmatchedRoute);

  wire::request_parser<wire::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(limits.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  // The body limit depends on the route, known only once the header is in.
  parser.body_limit(boost::none);

  // Beast applies its header limit to what each parse step sees, and a step keeps only the
  // fields not yet complete: a header arriving in several reads could grow past the limit
  // unnoticed. So the header is read step by step and its whole size counted here.
  error_code header_error;
  std::size_t header_bytes = 0;
  while (!header_error && !parser.is_header_done()) {
    auto [step_error, step_bytes] = co_await wire::async_read_some(stream_, buffer, parser, kTuple);
    header_error = step_error;
    header_bytes += step_bytes;
    if (!header_error && header_bytes > limits.max_header_bytes) {
      header_error = wire::error::header_limit;
    }
  }
  x.bytes_in += header_bytes;
  if (header_error) {
    co_await fail_read(header_error, x);
    co_return false;
  }

  const auto& header = parser.get();
  x.method = std::string(header.method_string());
  std::string_view target = header.target();
  auto question = target.find('?');
  std::string_view path = target.substr(0, question);
  RouteMatch match = context_.router.match(x.method, path);
  x.route = std::string(match.name());

  const std::size_t body_limit = match.body_limit().value_or(limits.max_body_bytes);
  if (auto length = parser.content_length(); length && *length > body_limit) {
    // Refused on the announced size alone: the body is never read.
    co_await answer(x,
                    json_error(413, "payload_too_large",
                               "The request body is larger than this endpoint accepts (" +
                                   std::to_string(body_limit) + " bytes)."),
                    false, header.version());
    co_return false;
  }
  parser.body_limit(static_cast<std::uint64_t>(body_limit));  // also bounds chunked bodies

  if (!parser.is_done()) {
    auto expect = header[wire::field::expect];
    if (iequals(expect, "100-continue")) {
      wire::response<wire::empty_body> go_on{wire::status::continue_, header.version()};
      auto [continue_error, continue_bytes] = co_await wire::async_write(stream_, go_on, kTuple);
      x.bytes_out += continue_bytes;
      if (continue_error) {
        co_return false;
      }
    }
    auto [body_error, body_bytes] = co_await wire::async_read(stream_, buffer, parser, kTuple);
    x.bytes_in += body_bytes;
    if (body_error) {
      co_await fail_read(body_error, x);
      co_return false;
    }
  }
  disarm();

  auto message = parser.release();
  HttpRequest request;
  request.method = x.method;
  request.path = std::string(path);
  if (question != std::string_view::npos) {
    request.query = std::string(target.substr(question + 1));
  }
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  request.remote_address = remote_address_;

  // Not a conditional expression: GCC 12 mishandles co_await inside `?:` (the result's
  // temporary is destroyed twice).
  HttpResponse response;
  if (match.deferred()) {
    response = co_await answer_later(match, std::move(request));
  } else {
    response = context_.router.dispatch(match, request);
  }
  const bool keep_alive = message.keep_alive() && !stop_requested_ && !context_.server_stopping;
  co_return co_await answer(x, std::move(response), keep_alive, message.version());
}

asio::awaitable<HttpResponse> Connection::answer_later(const RouteMatch& match,
                                                       HttpRequest&& request) {
  auto box = std::make_shared<AnswerBox>();
  {
    // Only `respond` and its copies may own the PendingAnswer: its destructor is the signal
    // that nobody will answer.
    auto pending = std::make_shared<PendingAnswer>(
        box, std::string(request.method) + " " + std::string(match.name()));
    Respond respond = [pending = std::move(pending)](HttpResponse response) {
      if (!pending->fill(std::move(response))) {
        spdlog::warn("handler for {} answered twice; the second answer is ignored",
                     pending->route());
      }
    };
    context_.router.dispatch_deferred(match, std::move(request), std::move(respond));
  }
  if (forced_) {
    // The shutdown grace was over before the handler was even called.
    box->abandon(shutting_down());
  }
  awaiting_answer_ = box;
  auto response = co_await box->async_wait(asio::use_awaitable);
  awaiting_answer_.reset();
  co_return response;
}

asio::awaitable<void> Connection::fail_read(const error_code& error, Exchange& x) {
  if (forced_) {
    co_return;
  }
  if (expired_) {
    co_await answer(x, json_error(408, "request_timeout", "The request did not arrive in time."),
                    false, 11);
  } else if (error == wire::error::header_limit) {
    co_await answer(x,
                    json_error(431, "header_too_large",
                               "The request headers are larger than this server accepts."),
                    false, 11);
  } else if (error == wire::error::body_limit) {
    co_await answer(x,
                    json_error(413, "payload_too_large",
                               "The request body is larger than this endpoint accepts."),
                    false, 11);
  } else if (is_parse_error(error)) {
    co_await answer(x, json_error(400, "bad_request", "The request is not valid HTTP/1.1."), false,
                    11);
  }
  // Anything else (client went away, reset) has nobody left to answer.
}

asio::awaitable<bool> Connection::answer(Exchange& x, HttpResponse response, bool keep_alive,
                                         unsigned version) {
  const int status = response.status;
  wire::response<wire::string_body> out;
  out.version(version == 10 ? 10 : 11);
  out.result(static_cast<unsigned>(status));
  if (!response.content_type.empty()) {
    out.set(wire::field::content_type, response.content_type);
  }
  for (auto& [name, value] : response.headers) {
    out.insert(name, value);
  }
  out.body() = std::move(response.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();

  // Counted before it is written: whoever has seen an answer (a test, a scrape right after a
  // request) finds it in the metrics. The duration is therefore the time to produce it.
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - x.started).count();
  metrics::record_http_request(context_.metrics, x.route, status, seconds);

  // The client gets as long to take our answer as it had to send its request.
  arm(context_.limits.read_timeout);
  error_code error;
  std::size_t written = 0;
  if (x.method == "HEAD") {
    // The router answered HEAD as GET (router.hpp); the header, Content-Length included, is
    // the GET answer's, and the body is never sent (RFC 9110 9.3.2).
    wire::response_serializer<wire::string_body> header_only{out};
    std::tie(error, written) = co_await wire::async_write_header(stream_, header_only, kTuple);
  } else {
    std::tie(error, written) = co_await wire::async_write(stream_, out, kTuple);
  }
  disarm();
  x.bytes_out += written;
  log_access(x, status);
  if (error) {
    co_return false;
  }
  if (!keep_alive) {
    co_await close_gracefully();
    co_return false;
  }
  co_return true;
}

asio::awaitable<void> Connection::close_gracefully() {
  error_code ignored;
  if (tls_ && !forced_) {
    // close_notify, then the peer's, within the linger time; clients that just drop the
    // connection end it early with an error, which is fine.
    arm(kLingerFor);
    co_await tls_->async_shutdown(kTuple);
    disarm();
    socket_.close(ignored);
    co_return;
  }
  socket_.shutdown(Socket::shutdown_send, ignored);
  arm(kLingerFor);
  std::array<char, 4096> sink{};
  std::size_t drained = 0;
  while (drained < kLingerBytes && !forced_) {
    auto [error, read] = co_await socket_.async_read_some(asio::buffer(sink), kTuple);
    if (error) {
      break;
    }
    drained += read;
  }
  disarm();
  socket_.close(ignored);
}

void Connection::log_access(const Exchange& x, int status) const {
  const auto elapsed = std::chrono::steady_clock::now() - x.started;
  const double millis = std::chrono::duration<double, std::milli>(elapsed).count();
  // Method, route pattern, status, time and sizes only: never bodies, header values or raw
  // paths (query strings and ids can carry tokens or personal data).
  spdlog::info("http {} {} {} {:.1f}ms in={}B out={}B", x.method, x.route, status, millis,
               x.bytes_in, x.bytes_out);
}

}  // namespace okr::bot::http
