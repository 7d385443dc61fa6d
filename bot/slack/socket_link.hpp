#pragma once
// One WebSocket client connection (ws:// or wss://) on its own thread, for Socket Mode. It
// connects, upgrades, then reads text frames and hands each to `on_frame`; whatever that
// returns (if not empty) is written back before the next frame is read, so an acknowledgement
// always follows the work it acknowledges. Pings from the server are answered automatically;
// when nothing arrives for `idle_timeout` the link pings, and when still nothing arrives it
// gives up (the read deadline). Beast's websocket headers stay in socket_link.cpp.
//
// TLS is verified as bot/http/client does it: the system CA store, or only `ca_file` when set;
// SNI is sent and the certificate must name the host. Nothing here logs or reports the URL
// (Slack's URL carries a ticket): errors name host and port only.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace okr::bot::slack {

struct SocketLinkOptions {
  std::string url;      // ws://host[:port]/path?query or wss://...
  std::string ca_file;  // wss: PEM bundle to trust; empty = the system store
  // Resolve + connect + TLS + upgrade, and a close handshake.
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds idle_timeout{30'000};
};

class SocketLink {
 public:
  // Called on the link's thread for each text frame; returns the frame to send back, or "".
  using OnFrame = std::function<std::string(const std::string& text)>;
  // Called once on the link's thread when the link has ended (or never came up), saying why.
  using OnEnd = std::function<void(const std::string& why)>;

  // Starts the thread at once. Throws std::invalid_argument for a URL that is not ws/wss.
  SocketLink(SocketLinkOptions options, OnFrame on_frame, OnEnd on_end);
  ~SocketLink();  // close(), then waits for the thread
  SocketLink(const SocketLink&) = delete;
  SocketLink& operator=(const SocketLink&) = delete;

  // Starts a close handshake (or abandons the connect); safe from any thread, returns at once.
  // Frames already in flight are still read and answered until the close completes; the link
  // gives up on a peer that does not answer the close within the handshake timeout.
  void close();

  // "host:port", for logs.
  std::string where() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace okr::bot::slack
