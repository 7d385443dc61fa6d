#include "tests/support/fake_slack.hpp"

#include <array>
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
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

#include "bot/http/request.hpp"
#include "bot/http/router.hpp"
#include "bot/http/server.hpp"
#include "bot/metrics/http_metrics.hpp"
#include "bot/metrics/registry.hpp"
#include "bot/slack/form.hpp"
#include "config/config.hpp"
#include "tests/support/temp_dir.hpp"

namespace okr::test {

namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;
using nlohmann::json;
using okr::bot::http::HttpRequest;
using okr::bot::http::HttpResponse;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// --- the self-signed certificate -----------------------------------------------------------

template <typename T, void (*Free)(T*)>
struct Owned {
  T* p = nullptr;
  explicit Owned(T* raw) : p(raw) {
    if (!p) {
      throw std::runtime_error("fake slack: OpenSSL allocation failed");
    }
  }
  ~Owned() { Free(p); }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
};

void check(int result, const char* what) {
  if (result != 1) {
    throw std::runtime_error(std::string("fake slack: OpenSSL failed at ") + what);
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

// --- faults and canned answers -------------------------------------------------------------

HttpResponse json_answer(const json& payload, int status = 200) {
  return okr::bot::http::json_response(status, payload.dump());
}

std::string text_field(const json& body, const char* key, const char* fallback) {
  if (body.is_object() && body.contains(key) && body[key].is_string()) {
    return body[key].get<std::string>();
  }
  return fallback;
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
    throw std::runtime_error("fake slack: signing the test certificate failed");
  }
  Owned<BIO, BIO_free_all> cert_bio(BIO_new(BIO_s_mem()));
  Owned<BIO, BIO_free_all> key_bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_X509(cert_bio.p, cert.p), "PEM_write_bio_X509");
  check(PEM_write_bio_PrivateKey(key_bio.p, key.p, nullptr, nullptr, 0, nullptr, nullptr),
        "PEM_write_bio_PrivateKey");
  return {drain(cert_bio.p), drain(key_bio.p)};
}

std::optional<std::string> RecordedCall::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (okr::bot::http::iequals(key, name)) {
      return value;
    }
  }
  return std::nullopt;
}

struct FakeSlack::State {
  explicit State(Options options_in) : options(std::move(options_in)) {}

  Options options;
  TempDir dir;
  std::string ca_path;

  okr::bot::metrics::Registry metrics;
  okr::bot::http::Router router;
  std::unique_ptr<okr::bot::http::HttpServer> server;
  std::uint16_t server_port = 0;

  // The front door: counts connections and, in HTTPS mode, terminates TLS.
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::optional<ssl::context> tls;
  std::thread io_thread;
  std::uint16_t port = 0;
  std::atomic<std::size_t> accepted{0};

  mutable std::mutex mutex;
  std::condition_variable wake;  // ends delays early when the fake stops
  bool stopping = false;
  std::vector<RecordedCall> calls;
  int fail_count = 0;
  Fault next_fault;
  int fail_percent = 0;
  Fault percent_fault;
  std::vector<Fault> percent_faults;  // when set, drawn from instead of percent_fault
  std::mt19937 rng;
  std::map<std::string, std::pair<std::string, int>> user_tz;
  int sequence = 0;

  std::optional<Fault> draw_fault() {
    if (fail_count > 0) {
      --fail_count;
      return next_fault;
    }
    if (fail_percent > 0 && std::uniform_int_distribution<int>(0, 99)(rng) < fail_percent) {
      if (percent_faults.empty())
        return percent_fault;
      return percent_faults[std::uniform_int_distribution<std::size_t>(
          0, percent_faults.size() - 1)(rng)];
    }
    return std::nullopt;
  }

  // Answers and notes on the recorded call whether Slack would have acted on it.
  HttpResponse serve(const HttpRequest& request, const std::string& method) {
    std::size_t index = 0;
    auto response = respond(request, method, index);
    bool ok = response.status >= 200 && response.status < 300;
    if (ok && method != "response_url") {
      const auto body = json::parse(response.body, nullptr, false);
      ok = body.is_object() && body.value("ok", false);
    }
    std::lock_guard lock(mutex);
    if (index < calls.size())
      calls[index].accepted = ok;
    return response;
  }

  HttpResponse respond(const HttpRequest& request, const std::string& method, std::size_t& index) {
    RecordedCall call;
    call.method = method;
    call.path = request.path;
    call.headers = request.headers;
    call.body = request.body;
    call.json = json::parse(request.body, nullptr, false);
    if (call.json.is_discarded()) {
      call.json = nullptr;
    }
    // Read methods come form-encoded, as Slack expects them: their fields become the same
    // JSON object a JSON body would give (every value a string).
    if (call.json.is_null() && request.header("Content-Type")
                                   .value_or("")
                                   .starts_with("application/x-www-form-urlencoded")) {
      if (const auto fields = okr::bot::slack::parse_form(request.body)) {
        call.json = json::object();
        for (const auto& [name, value] : *fields)
          call.json[name] = value;
      }
    }
    std::optional<Fault> fault;
    int ts = 0;
    {
      std::lock_guard lock(mutex);
      index = calls.size();
      calls.push_back(call);
      fault = draw_fault();
      ts = ++sequence;
    }
    if (fault) {
      switch (fault->kind) {
        case FaultKind::rate_limited: {
          auto answer = json_answer({{"ok", false}, {"error", "ratelimited"}}, 429);
          answer.headers.emplace_back("Retry-After", std::to_string(fault->retry_after_seconds));
          return answer;
        }
        case FaultKind::server_error:
          return {500, "text/plain", "upstream broke\n", {}};
        case FaultKind::slack_error:
          return json_answer({{"ok", false}, {"error", fault->error}});
        case FaultKind::delay: {
          std::unique_lock lock(mutex);
          wake.wait_for(lock, fault->delay, [&] { return stopping; });
          break;
        }
      }
    }
    if (method == "response_url") {
      return json_answer({{"ok", true}});
    }
    const auto auth = request.header("Authorization");
    if (!auth) {
      return json_answer({{"ok", false}, {"error", "not_authed"}});
    }
    if (*auth != "Bearer " + options.token) {
      return json_answer({{"ok", false}, {"error", "invalid_auth"}});
    }
    if (call.json.is_null() || !call.json.is_object()) {
      return json_answer({{"ok", false}, {"error", "invalid_json"}});
    }
    return answer(method, call.json, ts);
  }

  HttpResponse answer(const std::string& method, const json& body, int sequence_number) {
    const std::string ts = "1700000000." + std::to_string(100000 + sequence_number);
    const std::string channel = text_field(body, "channel", "");
    if (method == "auth.test") {
      return json_answer({{"ok", true},
                          {"url", "https://fake.slack.test/"},
                          {"team", "Fake Team"},
                          {"user", "okr-coach"},
                          {"team_id", "T0FAKE01"},
                          {"user_id", options.bot_user_id},
                          {"bot_id", "B0FAKE01"}});
    }
    if (method == "chat.postMessage" || method == "chat.update") {
      if (channel.empty()) {
        return json_answer({{"ok", false}, {"error", "channel_not_found"}});
      }
      const std::string message_ts = method == "chat.update" ? text_field(body, "ts", "") : ts;
      return json_answer(
          {{"ok", true},
           {"channel", channel},
           {"ts", message_ts},
           {"message", {{"text", text_field(body, "text", "")}, {"ts", message_ts}}}});
    }
    if (method == "chat.postEphemeral") {
      return json_answer({{"ok", true}, {"message_ts", ts}});
    }
    if (method == "conversations.open") {
      const std::string users = text_field(body, "users", "");
      if (users.empty()) {
        return json_answer({{"ok", false}, {"error", "users_list_not_supplied"}});
      }
      return json_answer({{"ok", true}, {"channel", {{"id", "D" + users.substr(1)}}}});
    }
    if (method == "users.info") {
      const std::string user = text_field(body, "user", "");
      if (user.empty()) {
        return json_answer({{"ok", false}, {"error", "user_not_found"}});
      }
      std::pair<std::string, int> tz{"Europe/Berlin", 3600};
      {
        std::lock_guard lock(mutex);
        if (auto it = user_tz.find(user); it != user_tz.end()) {
          tz = it->second;
        }
      }
      return json_answer({{"ok", true},
                          {"user",
                           {{"id", user},
                            {"name", "name-" + user},
                            {"real_name", "Real " + user},
                            {"tz", tz.first},
                            {"tz_offset", tz.second},
                            {"profile", {{"display_name", "Display " + user}}}}}});
    }
    if (method == "views.publish" || method == "views.open") {
      return json_answer({{"ok", true}, {"view", {{"id", "V" + std::to_string(sequence_number)}}}});
    }
    return json_answer({{"ok", false}, {"error", "unknown_method"}});
  }

  // Copies bytes one way until either side ends, then closes both.
  template <typename From, typename To, typename Session>
  static asio::awaitable<void> pump(From& from, To& to, std::shared_ptr<Session> session) {
    std::array<char, 16 * 1024> buffer{};
    for (;;) {
      auto [read_error, n] = co_await from.async_read_some(asio::buffer(buffer), kTuple);
      if (read_error) {
        break;
      }
      auto [write_error, written] =
          co_await asio::async_write(to, asio::buffer(buffer.data(), n), kTuple);
      (void)written;
      if (write_error) {
        break;
      }
    }
    session->close();
  }

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
      asio::co_spawn(io, pump(session->upstream, *session->secure, session), asio::detached);
    } else {
      asio::co_spawn(io, pump(session->plain, session->upstream, session), asio::detached);
      asio::co_spawn(io, pump(session->upstream, session->plain, session), asio::detached);
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

FakeSlack::FakeSlack() : FakeSlack(Options{}) {}

FakeSlack::FakeSlack(Options options) : state_(std::make_unique<State>(std::move(options))) {
  State& s = *state_;
  okr::bot::metrics::define_http_metrics(s.metrics, "fake-slack");
  s.router.add("POST", "/api/{method}", [&s](const HttpRequest& request) {
    return s.serve(request, request.path_params.at("method"));
  });
  s.router.add("POST", "/response/{id}",
               [&s](const HttpRequest& request) { return s.serve(request, "response_url"); });
  okr::config::HttpLimits limits;
  limits.shutdown_grace = std::chrono::milliseconds(2'000);
  s.server = std::make_unique<okr::bot::http::HttpServer>(limits, s.router, s.metrics, 4);
  s.server_port = s.server->start("127.0.0.1", 0);

  if (s.options.https) {
    const auto certificate =
        make_test_certificate("okr-coach fake slack", s.options.certificate_names);
    s.tls.emplace(ssl::context::tls_server);
    s.tls->use_certificate_chain(asio::buffer(certificate.cert_pem));
    s.tls->use_private_key(asio::buffer(certificate.key_pem), ssl::context::pem);
    s.ca_path = (s.dir / "fake-slack-ca.pem").string();
    std::ofstream(s.ca_path) << certificate.cert_pem;
  }
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  s.acceptor.open(endpoint.protocol());
  s.acceptor.bind(endpoint);
  s.acceptor.listen();
  s.port = s.acceptor.local_endpoint().port();
  asio::co_spawn(s.io, s.accept_loop(), asio::detached);
  s.io_thread = std::thread([&s] { s.io.run(); });
}

FakeSlack::~FakeSlack() {
  State& s = *state_;
  {
    std::lock_guard lock(s.mutex);
    s.stopping = true;
  }
  s.wake.notify_all();
  asio::post(s.io, [&s] {
    boost::system::error_code ignored;
    s.acceptor.close(ignored);
  });
  s.io.stop();
  s.io_thread.join();
  s.server->request_stop();
  s.server->wait();
}

const std::string& FakeSlack::token() const {
  return state_->options.token;
}

std::uint16_t FakeSlack::port() const {
  return state_->port;
}

std::string FakeSlack::api_url() const {
  return std::string(state_->options.https ? "https" : "http") +
         "://127.0.0.1:" + std::to_string(state_->port) + "/api/";
}

std::string FakeSlack::response_url(std::string_view id) const {
  return std::string(state_->options.https ? "https" : "http") +
         "://127.0.0.1:" + std::to_string(state_->port) + "/response/" + std::string(id);
}

std::string FakeSlack::ca_file() const {
  return state_->ca_path;
}

std::vector<RecordedCall> FakeSlack::calls() const {
  std::lock_guard lock(state_->mutex);
  return state_->calls;
}

std::vector<RecordedCall> FakeSlack::calls_to(std::string_view method) const {
  std::vector<RecordedCall> out;
  for (auto& call : calls()) {
    if (call.method == method) {
      out.push_back(std::move(call));
    }
  }
  return out;
}

std::size_t FakeSlack::connections_accepted() const {
  return state_->accepted.load();
}

void FakeSlack::fail_next(int count, Fault fault) {
  std::lock_guard lock(state_->mutex);
  state_->fail_count = count;
  state_->next_fault = std::move(fault);
}

void FakeSlack::fail_percent(int percent, Fault fault, unsigned seed) {
  std::lock_guard lock(state_->mutex);
  state_->fail_percent = percent;
  state_->percent_fault = std::move(fault);
  state_->percent_faults.clear();
  state_->rng.seed(seed);
}

void FakeSlack::fail_percent(int percent, std::vector<Fault> faults, unsigned seed) {
  std::lock_guard lock(state_->mutex);
  state_->fail_percent = percent;
  state_->percent_faults = std::move(faults);
  state_->rng.seed(seed);
}

std::vector<RecordedCall> FakeSlack::accepted_calls_to(std::string_view method) const {
  std::vector<RecordedCall> out;
  for (auto& call : calls_to(method)) {
    if (call.accepted)
      out.push_back(std::move(call));
  }
  return out;
}

void FakeSlack::clear_faults() {
  std::lock_guard lock(state_->mutex);
  state_->fail_count = 0;
  state_->fail_percent = 0;
}

void FakeSlack::set_user_tz(const std::string& user_id, const std::string& tz, int offset_seconds) {
  std::lock_guard lock(state_->mutex);
  state_->user_tz[user_id] = {tz, offset_seconds};
}

}  // namespace okr::test
