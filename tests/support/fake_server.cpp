#include "tests/support/fake_server.hpp"

#include <array>
#include <atomic>
#include <fstream>
#include <optional>
#include <random>
#include <stdexcept>
#include <string_view>
#include <thread>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "bot/http/router.hpp"
#include "bot/http/server.hpp"
#include "bot/metrics/http_metrics.hpp"
#include "bot/metrics/registry.hpp"
#include "config/config.hpp"
#include "tests/support/temp_dir.hpp"

namespace okr::test {

namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// --- the self-signed certificate -----------------------------------------------------------

template <typename T, void (*Free)(T*)>
struct Owned {
  T* p = nullptr;
  explicit Owned(T* raw) : p(raw) {
    if (!p) {
      throw std::runtime_error("fake server: OpenSSL allocation failed");
    }
  }
  ~Owned() { Free(p); }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
};

void check(int result, const char* what) {
  if (result != 1) {
    throw std::runtime_error(std::string("fake server: OpenSSL failed at ") + what);
  }
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  Owned<X509_EXTENSION, X509_EXTENSION_free> extension(
      X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  check(X509_add_ext(cert, extension.p, -1), "X509_add_ext");
}

std::string drain(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// --- the front door ------------------------------------------------------------------------

// One client connection and its upstream twin; either side ending closes both.
struct Session {
  Session(tcp::socket client_socket, ssl::context* context, asio::io_context& io)
      : plain(std::move(client_socket)), upstream(io) {
    if (context) {
      secure.emplace(std::move(plain), *context);
    }
  }
  tcp::socket plain;
  std::optional<ssl::stream<tcp::socket>> secure;
  tcp::socket upstream;
  void close() {
    boost::system::error_code ignored;
    (secure ? secure->next_layer() : plain).close(ignored);
    upstream.close(ignored);
  }
};

// Copies bytes one way until either side ends, then closes both. On the way back to the client
// (`dropped` set) an answer carrying kDropConnectionHeader ends the connection unsent. Our fakes'
// answers are small, so the header block arrives in one read.
template <typename From, typename To>
asio::awaitable<void> pump(From& from, To& to, std::shared_ptr<Session> session,
                           std::atomic<std::size_t>* dropped = nullptr) {
  static const std::string marker = std::string("\r\n") + kDropConnectionHeader + ":";
  std::array<char, 16 * 1024> buffer{};
  for (;;) {
    auto [read_error, n] = co_await from.async_read_some(asio::buffer(buffer), kTuple);
    if (read_error) {
      break;
    }
    if (dropped && std::string_view(buffer.data(), n).find(marker) != std::string_view::npos) {
      ++*dropped;
      break;
    }
    auto [write_error, written] =
        co_await asio::async_write(to, asio::buffer(buffer.data(), n), kTuple);
    if (write_error || written != n) {
      break;
    }
  }
  session->close();
}

}  // namespace

TestCertificate make_test_certificate(const std::string& common_name, const std::string& names) {
  Owned<EVP_PKEY, EVP_PKEY_free> key(EVP_EC_gen("P-256"));
  Owned<X509, X509_free> cert(X509_new());
  check(X509_set_version(cert.p, 2), "X509_set_version");
  std::random_device random;
  check(ASN1_INTEGER_set(X509_get_serialNumber(cert.p), static_cast<long>(random() & 0x7fffffff)),
        "serial");
  X509_gmtime_adj(X509_getm_notBefore(cert.p), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.p), 24 * 3600);
  check(X509_set_pubkey(cert.p, key.p), "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.p);
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                   -1, 0),
        "subject");
  check(X509_set_issuer_name(cert.p, name), "issuer");
  add_extension(cert.p, NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.p, NID_subject_key_identifier, "hash");
  add_extension(cert.p, NID_subject_alt_name, names.c_str());
  if (X509_sign(cert.p, key.p, EVP_sha256()) <= 0) {
    throw std::runtime_error("fake server: signing the test certificate failed");
  }
  Owned<BIO, BIO_free_all> cert_bio(BIO_new(BIO_s_mem()));
  Owned<BIO, BIO_free_all> key_bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_X509(cert_bio.p, cert.p), "PEM_write_bio_X509");
  check(PEM_write_bio_PrivateKey(key_bio.p, key.p, nullptr, nullptr, 0, nullptr, nullptr),
        "PEM_write_bio_PrivateKey");
  return {drain(cert_bio.p), drain(key_bio.p)};
}

struct FakeServer::State {
  explicit State(Options options_in) : options(std::move(options_in)) {}

  Options options;
  TempDir dir;
  std::string ca_path;

  okr::bot::metrics::Registry metrics;
  std::unique_ptr<okr::bot::http::HttpServer> server;
  std::uint16_t server_port = 0;

  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::optional<ssl::context> tls;
  std::thread io_thread;
  std::uint16_t door_port = 0;
  std::atomic<std::size_t> accepted{0};
  std::atomic<std::size_t> dropped{0};
  bool stopped = false;

  asio::awaitable<void> serve_connection(tcp::socket socket) {
    auto session = std::make_shared<Session>(std::move(socket), tls ? &*tls : nullptr, io);
    auto [connect_error] = co_await session->upstream.async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_port), kTuple);
    if (connect_error) {
      session->close();
      co_return;
    }
    if (session->secure) {
      auto [handshake_error] =
          co_await session->secure->async_handshake(ssl::stream_base::server, kTuple);
      if (handshake_error) {
        session->close();  // e.g. the client did not trust our certificate
        co_return;
      }
      asio::co_spawn(io, pump(*session->secure, session->upstream, session), asio::detached);
      asio::co_spawn(io, pump(session->upstream, *session->secure, session, &dropped),
                     asio::detached);
    } else {
      asio::co_spawn(io, pump(session->plain, session->upstream, session), asio::detached);
      asio::co_spawn(io, pump(session->upstream, session->plain, session, &dropped),
                     asio::detached);
    }
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [error, socket] = co_await acceptor.async_accept(kTuple);
      if (error) {
        co_return;  // closed on stop
      }
      ++accepted;
      asio::co_spawn(io, serve_connection(std::move(socket)), asio::detached);
    }
  }
};

FakeServer::FakeServer(const okr::bot::http::Router& router, Options options)
    : state_(std::make_unique<State>(std::move(options))) {
  State& s = *state_;
  okr::bot::metrics::define_http_metrics(s.metrics, s.options.name);
  okr::config::HttpLimits limits;
  limits.shutdown_grace = std::chrono::milliseconds(2'000);
  s.server = std::make_unique<okr::bot::http::HttpServer>(limits, router, s.metrics, 4);
  s.server_port = s.server->start("127.0.0.1", 0);
  if (!s.options.https && !s.options.count_connections) {
    return;
  }
  if (s.options.https) {
    const auto certificate =
        make_test_certificate("okr-coach " + s.options.name, s.options.certificate_names);
    s.tls.emplace(ssl::context::tls_server);
    s.tls->use_certificate_chain(asio::buffer(certificate.cert_pem));
    s.tls->use_private_key(asio::buffer(certificate.key_pem), ssl::context::pem);
    s.ca_path = (s.dir / (s.options.name + "-ca.pem")).string();
    std::ofstream(s.ca_path) << certificate.cert_pem;
  }
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  s.acceptor.open(endpoint.protocol());
  s.acceptor.bind(endpoint);
  s.acceptor.listen();
  s.door_port = s.acceptor.local_endpoint().port();
  asio::co_spawn(s.io, s.accept_loop(), asio::detached);
  s.io_thread = std::thread([&s] { s.io.run(); });
}

FakeServer::~FakeServer() {
  stop();
}

void FakeServer::stop() {
  State& s = *state_;
  if (s.stopped) {
    return;
  }
  s.stopped = true;
  if (s.io_thread.joinable()) {
    asio::post(s.io, [&s] {
      boost::system::error_code ignored;
      s.acceptor.close(ignored);
    });
    s.io.stop();
    s.io_thread.join();
  }
  s.server->request_stop();
  s.server->wait();
}

std::uint16_t FakeServer::port() const {
  return state_->door_port != 0 ? state_->door_port : state_->server_port;
}

std::string FakeServer::base_url() const {
  return std::string(state_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}

std::string FakeServer::ca_file() const {
  return state_->ca_path;
}

std::size_t FakeServer::connections_accepted() const {
  return state_->accepted.load();
}

std::size_t FakeServer::connections_dropped() const {
  return state_->dropped.load();
}

}  // namespace okr::test
