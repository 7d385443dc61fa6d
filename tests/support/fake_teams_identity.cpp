#include "tests/support/fake_teams_identity.hpp"

#include <array>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <boost/url/parse_query.hpp>

#include "bot/http/request.hpp"
#include "bot/http/router.hpp"
#include "bot/teams/base64url.hpp"
#include "tests/support/fake_server.hpp"

namespace okr::test {

namespace {

using nlohmann::json;
using okr::bot::http::HttpRequest;
using okr::bot::http::HttpResponse;
using okr::bot::teams::base64url_encode;

void require(bool ok, const char* what) {
  if (!ok) {
    throw std::runtime_error(std::string("fake teams identity: OpenSSL failed at ") + what);
  }
}

std::string bignum_param(EVP_PKEY* key, const char* name) {
  BIGNUM* number = nullptr;
  require(EVP_PKEY_get_bn_param(key, name, &number) == 1, name);
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(number)), '\0');
  BN_bn2bin(number, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(number);
  return bytes;
}

HttpResponse json_answer(const json& payload, int status = 200) {
  return okr::bot::http::json_response(status, payload.dump());
}

}  // namespace

// --- keys and tokens -------------------------------------------------------------------------

struct TestRsaKey::Impl {
  std::string kid;
  EVP_PKEY* key = nullptr;
  ~Impl() { EVP_PKEY_free(key); }
};

TestRsaKey::TestRsaKey(std::string kid, int bits) : impl_(std::make_unique<Impl>()) {
  impl_->kid = std::move(kid);
  impl_->key = EVP_RSA_gen(static_cast<unsigned>(bits));
  require(impl_->key != nullptr, "EVP_RSA_gen");
}

TestRsaKey::~TestRsaKey() = default;
TestRsaKey::TestRsaKey(TestRsaKey&&) noexcept = default;
TestRsaKey& TestRsaKey::operator=(TestRsaKey&&) noexcept = default;

const std::string& TestRsaKey::kid() const {
  return impl_->kid;
}

json TestRsaKey::jwk(const std::vector<std::string>& endorsements) const {
  return {{"kty", "RSA"},
          {"use", "sig"},
          {"kid", impl_->kid},
          {"x5t", impl_->kid},
          {"n", base64url_encode(bignum_param(impl_->key, OSSL_PKEY_PARAM_RSA_N))},
          {"e", base64url_encode(bignum_param(impl_->key, OSSL_PKEY_PARAM_RSA_E))},
          {"endorsements", endorsements}};
}

std::string TestRsaKey::sign_rs256(std::string_view input) const {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  require(context != nullptr, "EVP_MD_CTX_new");
  std::size_t size = 0;
  std::string signature;
  const bool ok =
      EVP_DigestSignInit_ex(context, nullptr, "SHA256", nullptr, nullptr, impl_->key, nullptr) ==
          1 &&
      EVP_DigestSign(context, nullptr, &size, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) == 1 &&
      (signature.resize(size), true) &&
      EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  EVP_MD_CTX_free(context);
  require(ok, "EVP_DigestSign");
  signature.resize(size);
  return signature;
}

std::string TestRsaKey::public_key_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  require(bio != nullptr && PEM_write_bio_PUBKEY(bio, impl_->key) == 1, "PEM_write_bio_PUBKEY");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return pem;
}

std::string jwt_signing_input(const json& header, const json& claims) {
  return base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
}

std::string assemble_jwt(const json& header, const json& claims, std::string_view signature) {
  return jwt_signing_input(header, claims) + "." + base64url_encode(signature);
}

std::string sign_jwt(json header, const json& claims, const TestRsaKey& key) {
  if (!header.contains("alg")) {
    header["alg"] = "RS256";
  }
  if (!header.contains("kid")) {
    header["kid"] = key.kid();
  }
  return assemble_jwt(header, claims, key.sign_rs256(jwt_signing_input(header, claims)));
}

std::string hmac_sha256(std::string_view secret, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  require(HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
               reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(),
               &size) != nullptr,
          "HMAC");
  return std::string(reinterpret_cast<const char*>(out.data()), size);
}

// --- the service -----------------------------------------------------------------------------

struct FakeTeamsIdentity::State {
  explicit State(Options options_in) : options(std::move(options_in)) {}

  Options options;
  TestRsaKey key{"fake-key-1"};
  okr::bot::http::Router router;
  std::optional<FakeServer> server;  // after the router it serves

  mutable std::mutex mutex;
  std::condition_variable wake;  // ends slow answers early when the fake stops
  bool stopping = false;
  std::vector<json> jwks;
  std::map<Endpoint, std::size_t> counts;
  std::map<Endpoint, std::pair<int, std::pair<Fault, std::chrono::milliseconds>>> faults;
  std::vector<std::string> token_bodies;
  std::vector<std::string> token_content_types;
  std::vector<std::string> issued;

  std::string base_url() const { return server->base_url(); }

  // Counts the request and returns the fault it gets, if any; sleeps through `slow` itself.
  std::optional<Fault> take_fault(Endpoint endpoint) {
    std::unique_lock lock(mutex);
    ++counts[endpoint];
    auto it = faults.find(endpoint);
    if (it == faults.end() || it->second.first <= 0) {
      return std::nullopt;
    }
    --it->second.first;
    const auto [fault, delay] = it->second.second;
    if (delay.count() > 0) {
      wake.wait_for(lock, delay, [this] { return stopping; });
    }
    return fault == Fault::slow ? std::nullopt : std::optional<Fault>(fault);
  }

  HttpResponse metadata(const HttpRequest&) {
    if (take_fault(Endpoint::metadata)) {
      return {500, "text/plain", "metadata service unavailable", {}};
    }
    return json_answer({{"issuer", "https://api.botframework.com"},
                        {"authorization_endpoint", "https://invalid.botframework.com"},
                        {"jwks_uri", base_url() + "/v1/.well-known/keys"},
                        {"id_token_signing_alg_values_supported", options.signing_algorithms},
                        {"token_endpoint_auth_methods_supported", {"private_key_jwt"}}});
  }

  HttpResponse keys(const HttpRequest&) {
    if (take_fault(Endpoint::jwks)) {
      return {500, "text/plain", "keys unavailable", {}};
    }
    std::lock_guard lock(mutex);
    return json_answer({{"keys", jwks}});
  }

  HttpResponse token(const HttpRequest& request) {
    const auto fault = take_fault(Endpoint::token);
    std::map<std::string, std::string> form;
    if (auto query = boost::urls::parse_query(request.body)) {
      boost::urls::encoding_opts opts;
      opts.space_as_plus = true;  // application/x-www-form-urlencoded
      for (const auto& param : *query) {
        std::string key = param.key.decode(opts);
        form[key] = param.value.decode(opts);
      }
    }
    {
      std::lock_guard lock(mutex);
      token_bodies.push_back(request.body);
      token_content_types.emplace_back(request.header("Content-Type").value_or(""));
    }
    if (fault == Fault::server_error) {
      return {500, "text/plain", "token service unavailable", {}};
    }
    const bool credentials_ok = form["grant_type"] == "client_credentials" &&
                                form["client_id"] == options.app_id &&
                                form["client_secret"] == options.app_password;
    if (fault == Fault::invalid_client || !credentials_ok) {
      return json_answer({{"error", "invalid_client"},
                          {"error_description", "AADSTS7000215: Invalid client secret provided."},
                          {"error_codes", {7000215}}},
                         401);
    }
    if (form["scope"] != "https://api.botframework.com/.default") {
      return json_answer({{"error", "invalid_scope"}, {"error_codes", {70011}}}, 400);
    }
    std::string access_token;
    {
      std::lock_guard lock(mutex);
      access_token = "fake-access-token-" + std::to_string(issued.size() + 1);
      issued.push_back(access_token);
    }
    return json_answer({{"token_type", "Bearer"},
                        {"expires_in", options.expires_in},
                        {"ext_expires_in", options.expires_in},
                        {"access_token", access_token}});
  }
};

FakeTeamsIdentity::FakeTeamsIdentity() : FakeTeamsIdentity(Options{}) {}

FakeTeamsIdentity::FakeTeamsIdentity(Options options)
    : state_(std::make_unique<State>(std::move(options))) {
  State& s = *state_;
  s.jwks.push_back(s.key.jwk());
  s.router.add("GET", "/v1/.well-known/openidconfiguration",
               [&s](const HttpRequest& r) { return s.metadata(r); });
  s.router.add("GET", "/v1/.well-known/keys", [&s](const HttpRequest& r) { return s.keys(r); });
  s.router.add("POST", "/{tenant}/oauth2/v2.0/token",
               [&s](const HttpRequest& r) { return s.token(r); });
  s.server.emplace(s.router,
                   FakeServer::Options{.name = "fake-teams-identity", .https = s.options.https});
}

FakeTeamsIdentity::~FakeTeamsIdentity() {
  State& s = *state_;
  {
    std::lock_guard lock(s.mutex);
    s.stopping = true;
  }
  s.wake.notify_all();
  s.server->stop();
}

const FakeTeamsIdentity::Options& FakeTeamsIdentity::options() const {
  return state_->options;
}

std::string FakeTeamsIdentity::base_url() const {
  return state_->base_url();
}

std::string FakeTeamsIdentity::openid_url() const {
  return base_url() + "/v1/.well-known/openidconfiguration";
}

std::string FakeTeamsIdentity::jwks_url() const {
  return base_url() + "/v1/.well-known/keys";
}

std::string FakeTeamsIdentity::token_url() const {
  return base_url() + "/botframework.com/oauth2/v2.0/token";
}

std::string FakeTeamsIdentity::ca_file() const {
  return state_->server->ca_file();
}

const TestRsaKey& FakeTeamsIdentity::key() const {
  return state_->key;
}

void FakeTeamsIdentity::publish(std::vector<json> jwks_entries) {
  std::lock_guard lock(state_->mutex);
  state_->jwks = std::move(jwks_entries);
}

json FakeTeamsIdentity::claims(const std::string& service_url, std::int64_t now) const {
  return {{"iss", "https://api.botframework.com"},
          {"aud", state_->options.app_id},
          {"serviceUrl", service_url},
          {"nbf", now - 60},
          {"exp", now + 3600}};
}

std::string FakeTeamsIdentity::token(const json& claims) const {
  return sign_jwt({{"typ", "JWT"}}, claims, state_->key);
}

void FakeTeamsIdentity::fail_next(Endpoint endpoint, int count, Fault fault,
                                  std::chrono::milliseconds delay) {
  std::lock_guard lock(state_->mutex);
  state_->faults[endpoint] = {count, {fault, delay}};
}

std::size_t FakeTeamsIdentity::requests(Endpoint endpoint) const {
  std::lock_guard lock(state_->mutex);
  const auto it = state_->counts.find(endpoint);
  return it == state_->counts.end() ? 0 : it->second;
}

std::vector<std::string> FakeTeamsIdentity::token_bodies() const {
  std::lock_guard lock(state_->mutex);
  return state_->token_bodies;
}

std::vector<std::string> FakeTeamsIdentity::token_content_types() const {
  std::lock_guard lock(state_->mutex);
  return state_->token_content_types;
}

std::vector<std::string> FakeTeamsIdentity::issued_tokens() const {
  std::lock_guard lock(state_->mutex);
  return state_->issued;
}

}  // namespace okr::test
