#include "tests/support/http_client.hpp"

#include <array>
#include <cctype>
#include <functional>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

namespace okr::test {
namespace {

namespace asio = boost::asio;
namespace wire = boost::beast::http;
using boost::system::error_code;

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> HttpReply::header(std::string_view name) const {
  for (const auto& [field, value] : headers) {
    if (same_name(field, name)) {
      return value;
    }
  }
  return std::nullopt;
}

struct HttpConnection::State {
  asio::io_context io;
  asio::ip::tcp::socket socket{io};
  boost::beast::flat_buffer buffer;

  // Runs the io_context until `done` or the deadline; at the deadline the socket's operations
  // are cancelled and the caller learns it timed out.
  bool run_until(const bool& done, std::chrono::milliseconds deadline) {
    io.restart();
    io.run_for(deadline);
    if (!done) {
      error_code ignored;
      socket.cancel(ignored);
      io.restart();
      io.run();  // let the cancelled operation complete
      return false;
    }
    return true;
  }
};

HttpConnection::HttpConnection(std::uint16_t port, const std::string& host)
    : state_(std::make_unique<State>()) {
  error_code error;
  state_->socket.connect({asio::ip::make_address(host), port}, error);
  if (error) {
    throw std::runtime_error("cannot connect to " + host + ":" + std::to_string(port) + ": " +
                             error.message());
  }
}

HttpConnection::~HttpConnection() = default;

bool HttpConnection::send(std::string_view bytes) {
  error_code error;
  asio::write(state_->socket, asio::buffer(bytes.data(), bytes.size()), error);
  return !error;
}

std::optional<HttpReply> HttpConnection::read_reply(std::chrono::milliseconds deadline,
                                                    bool to_head) {
  wire::response_parser<wire::string_body> parser;
  parser.body_limit(boost::none);
  parser.skip(to_head);
  error_code error;
  bool done = false;
  wire::async_read(state_->socket, state_->buffer, parser, [&](error_code ec, std::size_t) {
    error = ec;
    done = true;
  });
  if (!state_->run_until(done, deadline)) {
    throw std::runtime_error("no complete HTTP response before the test deadline");
  }
  if (error) {
    return std::nullopt;  // closed, reset, or not HTTP: no complete response
  }
  auto message = parser.release();
  HttpReply reply;
  reply.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    reply.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  reply.body = std::move(message.body());
  reply.keep_alive = message.keep_alive();
  return reply;
}

bool HttpConnection::wait_closed(std::chrono::milliseconds deadline) {
  std::array<char, 4096> sink{};
  bool closed = false;
  bool done = false;
  // Whatever is still buffered counts as already received; only the socket matters now.
  state_->buffer.consume(state_->buffer.size());
  std::function<void()> read_more;
  read_more = [&] {
    state_->socket.async_read_some(asio::buffer(sink), [&](error_code ec, std::size_t) {
      if (ec) {
        closed = ec != asio::error::operation_aborted;
        done = true;
        return;
      }
      read_more();
    });
  };
  read_more();
  state_->run_until(done, deadline);
  return closed;
}

HttpReply HttpConnection::request(std::string_view method, std::string_view target,
                                  std::string_view body,
                                  const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string raw;
  raw.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  for (const auto& [name, value] : headers) {
    raw.append(name).append(": ").append(value).append("\r\n");
  }
  if (!body.empty() || method == "POST" || method == "PUT") {
    raw.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  raw.append("\r\n").append(body);
  if (!send(raw)) {
    throw std::runtime_error("the server closed the connection before the request was sent");
  }
  auto reply = read_reply(kHttpDeadline, method == "HEAD");
  if (!reply) {
    throw std::runtime_error("the server closed the connection without answering");
  }
  return *reply;
}

void HttpConnection::close() {
  error_code ignored;
  state_->socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  state_->socket.close(ignored);
}

HttpReply http_request(std::uint16_t port, std::string_view method, std::string_view target,
                       std::string_view body,
                       const std::vector<std::pair<std::string, std::string>>& headers) {
  HttpConnection connection(port);
  auto with_close = headers;
  with_close.emplace_back("Connection", "close");
  return connection.request(method, target, body, with_close);
}

}  // namespace okr::test
