#pragma once
// A blocking HTTP/1.1 client over a real loopback socket for tests. It can send arbitrary raw
// bytes (half a header, a lying Content-Length, garbage), read one complete response at a time
// on a kept-alive connection, and tell when the server closed the connection. Deadlines exist
// only so a broken server fails a test instead of hanging it; they are never speed assertions.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace okr::test {

inline constexpr std::chrono::milliseconds kHttpDeadline{20'000};

struct HttpReply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = false;  // what the server's answer says about the connection

  // First header with this name (case-insensitive), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
};

class HttpConnection {
 public:
  // Connects to host:port; throws std::runtime_error when it cannot.
  explicit HttpConnection(std::uint16_t port, const std::string& host = "127.0.0.1");
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Writes all of `bytes`; false when the server closed or reset the connection meanwhile.
  bool send(std::string_view bytes);

  // Reads one complete response; nullopt when the connection ended before one arrived.
  // Throws std::runtime_error at the deadline. `to_head`: the answer to a HEAD request, which
  // has no body whatever its Content-Length says (a body sent anyway then spoils the next read).
  std::optional<HttpReply> read_reply(std::chrono::milliseconds deadline = kHttpDeadline,
                                      bool to_head = false);

  // True once the server has closed (EOF or reset) within the deadline, discarding anything
  // else it sends; false if the connection is still open at the deadline.
  bool wait_closed(std::chrono::milliseconds deadline = kHttpDeadline);

  // Sends a well-formed request (Host and Content-Length added) and reads its response;
  // throws when no response arrives.
  HttpReply request(std::string_view method, std::string_view target, std::string_view body = {},
                    const std::vector<std::pair<std::string, std::string>>& headers = {});

  void close();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// One request on a fresh connection that is closed afterwards.
HttpReply http_request(std::uint16_t port, std::string_view method, std::string_view target,
                       std::string_view body = {},
                       const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace okr::test
