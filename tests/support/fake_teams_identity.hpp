#pragma once
// A fake Microsoft identity service on a real loopback socket, for the Teams auth tests: the
// Bot Framework OpenID metadata document, its JWKS (RSA keys generated at test time, with
// endorsements) and the OAuth client-credentials token endpoint. Plain HTTP or HTTPS (a
// self-signed certificate, trusted through ca_file()), with counted requests and injected faults.
//
// It also mints inbound tokens: any header and claims, signed with a published key, another key,
// or any bytes at all, so each rejection rule can be shown to bite.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace okr::test {

// An RSA key pair made with OpenSSL when constructed (2048 bits unless told otherwise).
class TestRsaKey {
 public:
  explicit TestRsaKey(std::string kid, int bits = 2048);
  ~TestRsaKey();
  TestRsaKey(TestRsaKey&&) noexcept;
  TestRsaKey& operator=(TestRsaKey&&) noexcept;

  const std::string& kid() const;
  // The public half as a JWKS entry: kty, use, kid, x5t (= kid), n, e, endorsements.
  nlohmann::json jwk(const std::vector<std::string>& endorsements = {"msteams"}) const;
  // PKCS#1 v1.5 SHA-256 signature bytes over `input`.
  std::string sign_rs256(std::string_view input) const;
  // SubjectPublicKeyInfo PEM: what an attacker would use as an HS256 secret.
  std::string public_key_pem() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "<b64url(header)>.<b64url(claims)>", the part a signature covers.
std::string jwt_signing_input(const nlohmann::json& header, const nlohmann::json& claims);
// A token with exactly these parts; `signature` is raw bytes (base64url-encoded here).
std::string assemble_jwt(const nlohmann::json& header, const nlohmann::json& claims,
                         std::string_view signature);
// A correctly RS256-signed token; the header gets alg RS256 and kid of `key` unless it has them.
std::string sign_jwt(nlohmann::json header, const nlohmann::json& claims, const TestRsaKey& key);
// HMAC-SHA256 of `data` with `secret` (raw bytes), for HS256 forgeries.
std::string hmac_sha256(std::string_view secret, std::string_view data);

class FakeTeamsIdentity {
 public:
  enum class Endpoint { metadata, jwks, token };
  enum class Fault {
    server_error,    // 500 with a plain-text body
    slow,            // waits `delay`, then answers normally
    invalid_client,  // token endpoint: 401 {"error":"invalid_client",...}
  };

  struct Options {
    bool https = false;
    std::string app_id = "00000000-0000-4000-8000-00000000a11d";
    std::string app_password = "fake-app-password~0123456789";
    int expires_in = 3600;  // seconds, in token answers
    // id_token_signing_alg_values_supported in the metadata document.
    std::vector<std::string> signing_algorithms{"RS256"};
  };

  FakeTeamsIdentity();
  explicit FakeTeamsIdentity(Options options);
  ~FakeTeamsIdentity();
  FakeTeamsIdentity(const FakeTeamsIdentity&) = delete;
  FakeTeamsIdentity& operator=(const FakeTeamsIdentity&) = delete;

  const Options& options() const;
  std::string base_url() const;    // "http(s)://127.0.0.1:PORT"
  std::string openid_url() const;  // base + "/v1/.well-known/openidconfiguration"
  std::string jwks_url() const;    // base + "/v1/.well-known/keys"
  std::string token_url() const;   // base + "/botframework.com/oauth2/v2.0/token"
  std::string ca_file() const;     // HTTPS mode: the certificate to trust; else empty

  // The key published from the start, kid "fake-key-1", endorsed for "msteams".
  const TestRsaKey& key() const;
  // Replaces the published JWKS entries (e.g. to rotate keys or drop endorsements).
  void publish(std::vector<nlohmann::json> jwks_entries);

  // Claims a Bot Connector token would carry now: iss api.botframework.com, aud = app id,
  // serviceUrl, nbf 1 minute ago, exp in 1 hour (relative to `now`, seconds since the epoch).
  nlohmann::json claims(const std::string& service_url, std::int64_t now) const;
  // `claims` signed with key().
  std::string token(const nlohmann::json& claims) const;

  // The next `count` requests to `endpoint` get `fault`, each answered after `delay` (so
  // Fault::server_error with a delay is a slow failure).
  void fail_next(Endpoint endpoint, int count, Fault fault,
                 std::chrono::milliseconds delay = std::chrono::milliseconds(0));

  std::size_t requests(Endpoint endpoint) const;
  // Raw form bodies received by the token endpoint, in order.
  std::vector<std::string> token_bodies() const;
  // Content-Type headers of token requests, in order.
  std::vector<std::string> token_content_types() const;
  // Access tokens issued so far ("fake-access-token-1", ...).
  std::vector<std::string> issued_tokens() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace okr::test
