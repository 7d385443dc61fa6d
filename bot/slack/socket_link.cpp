#include "bot/slack/socket_link.hpp"

#include <exception>
#include <stdexcept>
#include <thread>
#include <utility>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/url/parse.hpp>

#include "bot/http/trusted_cas.hpp"

namespace okr::bot::slack {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
namespace websocket = boost::beast::websocket;
using asio::ip::tcp;
using boost::system::error_code;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// Slack's envelopes are small; a bigger frame is not Slack.
constexpr std::size_t kMaxFrameBytes = 1024 * 1024;

struct Target {
  bool tls = false;
  std::string host;  // for resolving, SNI and certificate checks (no IPv6 brackets)
  std::string port;
  std::string host_header;  // as written, with the port when one was given
  std::string path;         // path and query: the query holds the ticket, so never logged
  std::string where() const { return host + ":" + port; }
};

Target parse_target(const std::string& url) {
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed)
    throw std::invalid_argument("socket link: not an absolute URL");
  Target out;
  const auto scheme = parsed->scheme();
  if (scheme == "wss")
    out.tls = true;
  else if (scheme != "ws")
    throw std::invalid_argument("socket link: only ws and wss URLs");
  if (!parsed->has_authority() || parsed->encoded_host().empty())
    throw std::invalid_argument("socket link: the URL has no host");
  out.host = parsed->host_address();
  out.port = parsed->has_port() ? std::string(parsed->port()) : (out.tls ? "443" : "80");
  out.host_header = std::string(parsed->encoded_host_and_port());
  out.path = std::string(parsed->encoded_path());
  if (out.path.empty())
    out.path = "/";
  if (parsed->has_query())
    out.path += "?" + std::string(parsed->encoded_query());
  return out;
}

}  // namespace

struct SocketLink::State {
  SocketLinkOptions options;
  Target target;
  OnFrame on_frame;
  OnEnd on_end;
  asio::io_context io{1};
  std::thread thread;

  // Touched on the link's thread only.
  bool closing = false;
  bool ended = false;  // after on_end nothing may keep the io_context running
  bool writing = false;
  bool close_after_write = false;
  std::function<void()> start_close;  // set while the websocket is up
  std::function<void()> abort;        // set while a socket exists: closes it
  asio::steady_timer give_up{io};     // the connect deadline, then the close deadline

  void arm_give_up() {
    give_up.expires_after(options.handshake_timeout);
    give_up.async_wait([this](error_code error) {
      if (!error && abort)
        abort();
    });
  }

  void request_close() {
    if (closing || ended)
      return;
    closing = true;
    arm_give_up();
    if (!start_close) {
      if (abort)
        abort();  // still connecting: abandon it
      return;
    }
    if (writing)
      close_after_write = true;  // a close frame may not overtake a frame being written
    else
      start_close();
  }

  template <typename Ws>
  asio::awaitable<std::string> talk(Ws& ws) {
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = options.handshake_timeout;
    timeouts.idle_timeout = options.idle_timeout;
    timeouts.keep_alive_pings = true;
    ws.set_option(timeouts);
    ws.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
      request.set(beast::http::field::user_agent, "okr-coach");
    }));
    ws.read_message_max(kMaxFrameBytes);
    ws.text(true);
    auto [upgrade_error] = co_await ws.async_handshake(target.host_header, target.path, kTuple);
    if (upgrade_error)
      co_return "upgrade failed: " + upgrade_error.message();
    give_up.cancel();
    start_close = [this, &ws] {
      ws.async_close(websocket::close_code::normal, [](error_code) {});
    };
    if (closing)
      start_close();
    beast::flat_buffer buffer;
    for (;;) {
      buffer.clear();
      auto [read_error, bytes] = co_await ws.async_read(buffer, kTuple);
      (void)bytes;
      if (read_error == websocket::error::closed)
        co_return closing ? std::string("closed by us")
                          : "closed by the server (code " + std::to_string(ws.reason().code) + ")";
      if (read_error == beast::error::timeout)
        co_return "nothing received within the read deadline";
      if (read_error)
        co_return "connection lost: " + read_error.message();
      if (!ws.got_text())
        continue;
      std::string reply;
      try {
        reply = on_frame(beast::buffers_to_string(buffer.data()));
      } catch (const std::exception&) {
        reply.clear();  // not answered: the peer delivers it again
      }
      if (reply.empty() || closing)
        continue;  // after our close frame nothing more may be written
      writing = true;
      auto [write_error, written] = co_await ws.async_write(asio::buffer(reply), kTuple);
      (void)written;
      writing = false;
      if (write_error)
        co_return "sending failed: " + write_error.message();
      if (close_after_write) {
        close_after_write = false;
        start_close();
      }
    }
  }

  asio::awaitable<std::string> connect(tcp::resolver& resolver, beast::tcp_stream& stream) {
    auto [resolve_error, results] = co_await resolver.async_resolve(target.host, target.port, kTuple);
    if (resolve_error)
      co_return "cannot resolve " + target.where() + ": " + resolve_error.message();
    auto [connect_error, peer] = co_await stream.async_connect(results, kTuple);
    (void)peer;
    if (connect_error)
      co_return "cannot connect to " + target.where() + ": " + connect_error.message();
    co_return std::string();
  }

  asio::awaitable<std::string> over_tls() {
    ssl::context tls{ssl::context::tls_client};
    tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    tls.set_verify_mode(ssl::verify_peer);
    if (const auto ca_error = http::trust_cas(tls, options.ca_file))
      co_return "cannot load CA certificates: " + ca_error.message();
    tcp::resolver resolver(io);
    websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(io, tls);
    abort = [&] {
      error_code ignored;
      resolver.cancel();
      beast::get_lowest_layer(ws).socket().close(ignored);
    };
    std::string why = co_await connect(resolver, beast::get_lowest_layer(ws));
    if (why.empty() && closing)
      why = "closed before it was up";
    if (why.empty()) {
      SSL* handle = ws.next_layer().native_handle();
      X509_VERIFY_PARAM* param = SSL_get0_param(handle);
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      error_code not_ip;
      asio::ip::make_address(target.host, not_ip);
      // An IP literal must match an IP SAN; a name must match a DNS SAN, and is sent as SNI.
      const bool ok = not_ip ? SSL_set_tlsext_host_name(handle, target.host.c_str()) == 1 &&
                                   X509_VERIFY_PARAM_set1_host(param, target.host.c_str(), 0) == 1
                             : X509_VERIFY_PARAM_set1_ip_asc(param, target.host.c_str()) == 1;
      if (!ok)
        why = "cannot set up TLS for " + target.where();
    }
    if (why.empty()) {
      auto [handshake_error] =
          co_await ws.next_layer().async_handshake(ssl::stream_base::client, kTuple);
      if (handshake_error) {
        const long verify = SSL_get_verify_result(ws.next_layer().native_handle());
        why = "TLS with " + target.where() + " failed: " +
              (verify != X509_V_OK
                   ? std::string("certificate not trusted: ") + X509_verify_cert_error_string(verify)
                   : handshake_error.message());
      }
    }
    if (why.empty())
      why = co_await talk(ws);
    start_close = nullptr;
    abort = nullptr;
    co_return why;
  }

  asio::awaitable<std::string> over_tcp() {
    tcp::resolver resolver(io);
    websocket::stream<beast::tcp_stream> ws(io);
    abort = [&] {
      error_code ignored;
      resolver.cancel();
      beast::get_lowest_layer(ws).socket().close(ignored);
    };
    std::string why = co_await connect(resolver, beast::get_lowest_layer(ws));
    if (why.empty() && closing)
      why = "closed before it was up";
    if (why.empty())
      why = co_await talk(ws);
    start_close = nullptr;
    abort = nullptr;
    co_return why;
  }

  asio::awaitable<void> session() {
    std::string why;
    try {
      arm_give_up();  // the connect deadline
      // Not `tls ? co_await a : co_await b`: GCC 12 miscompiles co_await inside ?:.
      if (target.tls)
        why = co_await over_tls();
      else
        why = co_await over_tcp();
    } catch (const std::exception& error) {
      why = std::string("failed: ") + error.what();
    }
    ended = true;
    give_up.cancel();
    on_end(why);
  }
};

SocketLink::SocketLink(SocketLinkOptions options, OnFrame on_frame, OnEnd on_end)
    : state_(std::make_unique<State>()) {
  auto& s = *state_;
  s.target = parse_target(options.url);
  s.options = std::move(options);
  s.on_frame = std::move(on_frame);
  s.on_end = std::move(on_end);
  asio::co_spawn(s.io, s.session(), [](std::exception_ptr) {});
  s.thread = std::thread([&s] { s.io.run(); });
}

SocketLink::~SocketLink() {
  close();
  if (state_->thread.joinable())
    state_->thread.join();
}

void SocketLink::close() {
  auto* s = state_.get();
  asio::post(s->io, [s] { s->request_close(); });
}

std::string SocketLink::where() const {
  return state_->target.where();
}

}  // namespace okr::bot::slack
