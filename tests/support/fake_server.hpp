#pragma once
// The loopback plumbing every fake service shares: a real bot/http server on 127.0.0.1 port 0
// serving the fake's router, and, when asked, a front door of its own in front of it that
// counts TCP connections (to prove keep-alive reuse) and, in HTTPS mode, terminates TLS with a
// self-signed certificate made at start (nothing on disk but a temporary CA file).
//
// The fakes keep their own routes, records and fault injection; only the sockets live here.
#include <cstdint>
#include <memory>
#include <string>

namespace okr::bot::http {
class Router;
}

namespace okr::test {

// A self-signed certificate made with the OpenSSL API; `names` is its subjectAltName in
// OpenSSL's syntax.
struct TestCertificate {
  std::string cert_pem;
  std::string key_pem;
};
TestCertificate make_test_certificate(const std::string& common_name,
                                      const std::string& names = "IP:127.0.0.1,DNS:localhost");

// A fake's handler that wants the "dropped connection" fault answers with this header: the
// front door then closes the client's connection instead of passing the answer on, as a network
// drop after the request arrived would (the caller cannot know whether it was acted on; the fakes
// record such calls as not accepted). Works only through the front door (count_connections or
// https).
inline constexpr const char* kDropConnectionHeader = "X-Fake-Drop-Connection";

class FakeServer {
 public:
  struct Options {
    std::string name;  // "fake-slack": metrics label, certificate CN and CA file name
    bool https = false;
    // Serve through the front door even over plain HTTP, so connections are counted.
    bool count_connections = false;
    std::string certificate_names = "IP:127.0.0.1,DNS:localhost";
  };

  // Starts serving at once; `router` must outlive the server.
  FakeServer(const okr::bot::http::Router& router, Options options);
  ~FakeServer();  // stop()
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  // Closes the front door, then stops the server once requests in flight have finished. A fake
  // wakes its own delayed handlers before calling this. Safe more than once.
  void stop();

  std::uint16_t port() const;                // where clients connect
  std::string base_url() const;              // "http(s)://127.0.0.1:PORT"
  std::string ca_file() const;               // HTTPS mode: the certificate to trust; else empty
  std::size_t connections_accepted() const;  // front door only; 0 without it
  std::size_t connections_dropped() const;   // answers withheld for kDropConnectionHeader

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace okr::test
