#pragma once
// A fake Slack Socket Mode endpoint: a real WebSocket server (plain ws://, Beast) on 127.0.0.1
// port 0. FakeSlack answers `apps.connections.open` with a fresh URL carrying a single-use
// ticket; a connection with an unknown or used ticket is refused (403), as a stale URL would be.
// Each accepted connection gets Slack's `hello` at once. A test sends envelopes, `disconnect`
// frames or drops a connection (TCP closed, no close frame), and reads back the acks the coach
// sent, in order, with the connection they came on.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace okr::test {

class FakeSlack;

struct SocketAck {
  std::string envelope_id;
  nlohmann::json payload;  // null when the ack carried none
  int connection = 0;      // 1 for the first connection accepted, 2 for the next...
};

class FakeSocketMode {
 public:
  // Starts listening and registers the apps.connections.open answer on `slack` (the answer
  // keeps working, harmlessly, if `slack` outlives this fake).
  explicit FakeSocketMode(FakeSlack& slack);
  ~FakeSocketMode();  // closes every connection, stops the server
  FakeSocketMode(const FakeSocketMode&) = delete;
  FakeSocketMode& operator=(const FakeSocketMode&) = delete;

  std::size_t connections_accepted() const;  // upgrades with a valid ticket
  std::size_t tickets_refused() const;
  bool is_open(int connection) const;
  // The number of connections open right after `connection` was accepted (itself included):
  // 2 for a replacement opened while the old one still served.
  std::size_t open_when_accepted(int connection) const;
  // Whether `connection` ended with a close frame from the coach (not a drop or our close).
  bool closed_by_client(int connection) const;

  // Waits until `count` connections have been accepted; false at the limit, which only stops a
  // broken run (no timing is asserted).
  bool wait_for_connections(std::size_t count,
                            std::chrono::milliseconds limit = std::chrono::seconds(20)) const;
  bool wait_until_closed(int connection,
                         std::chrono::milliseconds limit = std::chrono::seconds(20)) const;

  // Sends an envelope on the newest open connection and returns its envelope_id (a fresh one
  // unless given).
  std::string send_envelope(const std::string& type, const nlohmann::json& payload,
                            bool accepts_response_payload, std::string envelope_id = {});
  // Sends any text frame on the newest open connection.
  void send_frame(const std::string& text);
  void send_disconnect(const std::string& reason);
  // Closes the newest open connection's TCP socket without a close frame.
  void drop();
  // The next `count` apps.connections.open calls answer {"ok":false,"error":error}.
  void refuse_next_opens(int count, std::string error);

  std::optional<SocketAck> wait_for_ack(
      const std::string& envelope_id,
      std::chrono::milliseconds limit = std::chrono::seconds(20)) const;
  std::vector<SocketAck> acks() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace okr::test
