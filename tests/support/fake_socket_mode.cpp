#include "tests/support/fake_socket_mode.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "tests/support/fake_slack.hpp"

namespace okr::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using asio::ip::tcp;
using nlohmann::json;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// One accepted connection. Its stream is only touched on the fake's io thread.
struct Peer {
  explicit Peer(tcp::socket socket) : ws(std::move(socket)) {}
  websocket::stream<beast::tcp_stream> ws;
  std::deque<std::string> outgoing;  // written one at a time, in order
  bool writing = false;
};

// What the test can see of a connection (under the fake's mutex).
struct PeerRecord {
  bool open = true;
  bool closed_by_client = false;
  std::size_t open_when_accepted = 0;
  std::shared_ptr<Peer> peer;
};

}  // namespace

struct FakeSocketMode::State {
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::thread thread;
  std::uint16_t port = 0;

  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::set<std::string> tickets;  // issued and not yet used
  int ticket_number = 0;
  int envelope_number = 0;
  std::size_t refused = 0;
  int opens_to_refuse = 0;
  std::string refusal_error;
  std::map<int, PeerRecord> peers;  // by connection number
  std::vector<SocketAck> acks;

  // --- the io thread ---------------------------------------------------------------------

  void write_next(const std::shared_ptr<Peer>& peer) {
    if (peer->writing || peer->outgoing.empty())
      return;
    peer->writing = true;
    peer->ws.async_write(asio::buffer(peer->outgoing.front()),
                         [this, peer](beast::error_code error, std::size_t) {
                           peer->writing = false;
                           peer->outgoing.pop_front();
                           if (!error)
                             write_next(peer);
                         });
  }

  void queue(const std::shared_ptr<Peer>& peer, std::string text) {
    asio::post(io, [this, peer, text = std::move(text)]() mutable {
      peer->outgoing.push_back(std::move(text));
      write_next(peer);
    });
  }

  // The ticket in "/link/?ticket=T", if it was issued and not used yet (then it is used).
  bool take_ticket(std::string_view target) {
    const auto at = target.find("ticket=");
    if (at == std::string_view::npos)
      return false;
    const std::string ticket(target.substr(at + 7));
    std::lock_guard lock(mutex);
    return tickets.erase(ticket) == 1;
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    beast::flat_buffer buffer;
    beast::http::request<beast::http::string_body> request;
    auto peer = std::make_shared<Peer>(std::move(socket));
    auto [read_error, read] =
        co_await beast::http::async_read(peer->ws.next_layer(), buffer, request, kTuple);
    (void)read;
    if (read_error)
      co_return;
    if (!websocket::is_upgrade(request) || !take_ticket(request.target())) {
      {
        std::lock_guard lock(mutex);
        ++refused;
      }
      beast::http::response<beast::http::string_body> refusal{beast::http::status::forbidden,
                                                              request.version()};
      refusal.body() = "invalid ticket";
      refusal.prepare_payload();
      co_await beast::http::async_write(peer->ws.next_layer(), refusal, kTuple);
      co_return;
    }
    auto [accept_error] = co_await peer->ws.async_accept(request, kTuple);
    if (accept_error)
      co_return;
    int number = 0;
    std::size_t open_now = 0;
    {
      std::lock_guard lock(mutex);
      number = static_cast<int>(peers.size()) + 1;
      for (const auto& [id, record] : peers)
        open_now += record.open;
      peers[number] = PeerRecord{true, false, open_now + 1, peer};
      changed.notify_all();
    }
    queue(peer, json{{"type", "hello"},
                     {"num_connections", open_now + 1},
                     {"connection_info", {{"app_id", "A0FAKE01"}}},
                     {"debug_info", {{"host", "fake-socket-mode"}, {"approximate_connection_time", 3600}}}}
                    .dump());
    bool client_closed = false;
    for (;;) {
      beast::flat_buffer frame;
      auto [error, bytes] = co_await peer->ws.async_read(frame, kTuple);
      (void)bytes;
      if (error) {
        client_closed = error == websocket::error::closed;
        break;
      }
      const json ack = json::parse(beast::buffers_to_string(frame.data()), nullptr, false);
      if (!ack.is_object() || !ack.contains("envelope_id"))
        continue;
      std::lock_guard lock(mutex);
      acks.push_back(SocketAck{ack.value("envelope_id", ""),
                               ack.contains("payload") ? ack.at("payload") : json(), number});
      changed.notify_all();
    }
    std::lock_guard lock(mutex);
    peers[number].open = false;
    peers[number].closed_by_client = client_closed;
    changed.notify_all();
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [error, socket] = co_await acceptor.async_accept(kTuple);
      if (error)
        co_return;
      asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }

  // --- the test's thread -----------------------------------------------------------------

  std::shared_ptr<Peer> newest_open() const {
    std::lock_guard lock(mutex);
    for (auto it = peers.rbegin(); it != peers.rend(); ++it) {
      if (it->second.open)
        return it->second.peer;
    }
    throw std::logic_error("fake socket mode: no open connection to send on");
  }
};

FakeSocketMode::FakeSocketMode(FakeSlack& slack) : state_(std::make_shared<State>()) {
  auto& s = *state_;
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  s.acceptor.open(endpoint.protocol());
  s.acceptor.set_option(asio::socket_base::reuse_address(true));
  s.acceptor.bind(endpoint);
  s.acceptor.listen();
  s.port = s.acceptor.local_endpoint().port();
  asio::co_spawn(s.io, s.accept_loop(), asio::detached);
  s.thread = std::thread([&s] { s.io.run(); });
  std::weak_ptr<State> weak = state_;
  slack.answer_method("apps.connections.open", [weak](const json&) -> json {
    const auto state = weak.lock();
    if (!state)
      return {{"ok", false}, {"error", "internal_error"}};
    std::lock_guard lock(state->mutex);
    if (state->opens_to_refuse > 0) {
      --state->opens_to_refuse;
      return {{"ok", false}, {"error", state->refusal_error}};
    }
    const std::string ticket = "fake-ticket-" + std::to_string(++state->ticket_number);
    state->tickets.insert(ticket);
    return {{"ok", true},
            {"url", "ws://127.0.0.1:" + std::to_string(state->port) + "/link/?ticket=" + ticket}};
  });
}

FakeSocketMode::~FakeSocketMode() {
  auto& s = *state_;
  asio::post(s.io, [&s] {
    boost::system::error_code ignored;
    s.acceptor.close(ignored);
    std::lock_guard lock(s.mutex);
    for (auto& [id, record] : s.peers)
      beast::get_lowest_layer(record.peer->ws).socket().close(ignored);
  });
  s.thread.join();
  std::lock_guard lock(s.mutex);
  s.peers.clear();  // the streams go before the io_context they belong to
}

std::size_t FakeSocketMode::connections_accepted() const {
  std::lock_guard lock(state_->mutex);
  return state_->peers.size();
}

std::size_t FakeSocketMode::tickets_refused() const {
  std::lock_guard lock(state_->mutex);
  return state_->refused;
}

bool FakeSocketMode::is_open(int connection) const {
  std::lock_guard lock(state_->mutex);
  const auto it = state_->peers.find(connection);
  return it != state_->peers.end() && it->second.open;
}

std::size_t FakeSocketMode::open_when_accepted(int connection) const {
  std::lock_guard lock(state_->mutex);
  const auto it = state_->peers.find(connection);
  return it == state_->peers.end() ? 0 : it->second.open_when_accepted;
}

bool FakeSocketMode::closed_by_client(int connection) const {
  std::lock_guard lock(state_->mutex);
  const auto it = state_->peers.find(connection);
  return it != state_->peers.end() && it->second.closed_by_client;
}

bool FakeSocketMode::wait_for_connections(std::size_t count,
                                          std::chrono::milliseconds limit) const {
  std::unique_lock lock(state_->mutex);
  return state_->changed.wait_for(lock, limit, [&] { return state_->peers.size() >= count; });
}

bool FakeSocketMode::wait_until_closed(int connection, std::chrono::milliseconds limit) const {
  std::unique_lock lock(state_->mutex);
  return state_->changed.wait_for(lock, limit, [&] {
    const auto it = state_->peers.find(connection);
    return it != state_->peers.end() && !it->second.open;
  });
}

std::string FakeSocketMode::send_envelope(const std::string& type, const json& payload,
                                          bool accepts_response_payload, std::string envelope_id) {
  if (envelope_id.empty()) {
    std::lock_guard lock(state_->mutex);
    envelope_id = "env-" + std::to_string(++state_->envelope_number);
  }
  json frame{{"envelope_id", envelope_id},
             {"type", type},
             {"payload", payload},
             {"accepts_response_payload", accepts_response_payload}};
  if (type == "events_api")
    frame["retry_attempt"] = 0;
  state_->queue(state_->newest_open(), frame.dump());
  return envelope_id;
}

void FakeSocketMode::send_frame(const std::string& text) {
  state_->queue(state_->newest_open(), text);
}

void FakeSocketMode::send_disconnect(const std::string& reason) {
  send_frame(json{{"type", "disconnect"},
                  {"reason", reason},
                  {"debug_info", {{"host", "fake-socket-mode"}}}}
                 .dump());
}

void FakeSocketMode::drop() {
  auto peer = state_->newest_open();
  asio::post(state_->io, [peer] {
    boost::system::error_code ignored;
    beast::get_lowest_layer(peer->ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(peer->ws).socket().close(ignored);
  });
}

void FakeSocketMode::refuse_next_opens(int count, std::string error) {
  std::lock_guard lock(state_->mutex);
  state_->opens_to_refuse = count;
  state_->refusal_error = std::move(error);
}

std::optional<SocketAck> FakeSocketMode::wait_for_ack(const std::string& envelope_id,
                                                      std::chrono::milliseconds limit) const {
  std::unique_lock lock(state_->mutex);
  std::optional<SocketAck> found;
  state_->changed.wait_for(lock, limit, [&] {
    for (const auto& ack : state_->acks) {
      if (ack.envelope_id == envelope_id) {
        found = ack;
        return true;
      }
    }
    return false;
  });
  return found;
}

std::vector<SocketAck> FakeSocketMode::acks() const {
  std::lock_guard lock(state_->mutex);
  return state_->acks;
}

}  // namespace okr::test
