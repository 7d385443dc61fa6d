// Inbound Teams authentication (platforms.md §11) against a fake OpenID metadata + JWKS service
// over real loopback HTTP(S): the genuine token passes; each forgery or mistake in issue 6's list
// is refused with its own reason; keys are cached and refreshed at most once a minute.
#include <catch2/catch.hpp>

#include <atomic>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "bot/http/client.hpp"
#include "bot/teams/bot_framework_auth.hpp"
#include "tests/support/fake_teams_identity.hpp"

using nlohmann::json;
using okr::bot::teams::AuthFailure;
using okr::bot::teams::BotFrameworkAuthenticator;
using okr::bot::teams::BotFrameworkAuthSettings;
using okr::test::FakeTeamsIdentity;
using Endpoint = FakeTeamsIdentity::Endpoint;

namespace {

const std::string kServiceUrl = "https://smba.trafficmanager.net/amer/";
constexpr std::int64_t kStart = 1'790'000'000;

struct InboundFixture {
  explicit InboundFixture(FakeTeamsIdentity::Options options = {}, std::string tenant = "")
      : fake(std::move(options)),
        client([&] {
          okr::bot::http::ClientOptions o;
          o.ca_file = fake.ca_file();
          return o;
        }()),
        auth(client, BotFrameworkAuthSettings{fake.options().app_id, tenant, fake.openid_url()},
             [this] { return okr::dialogs::TimePoint(std::chrono::seconds(now.load())); }) {}

  AuthFailure check(const std::string& token, const std::string& service_url = kServiceUrl,
                    const std::string& channel = "msteams") {
    return auth.check("Bearer " + token, service_url, channel).failure;
  }
  json claims() const { return fake.claims(kServiceUrl, now.load()); }
  void advance(std::int64_t seconds) { now += seconds; }

  std::atomic<std::int64_t> now{kStart};
  FakeTeamsIdentity fake;
  okr::bot::http::HttpClient client;
  BotFrameworkAuthenticator auth;
};

// Everything spdlog writes while alive, for checks that tokens stay out of the log.
struct CapturedLog {
  CapturedLog() : previous(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
    spdlog::set_level(spdlog::level::debug);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous); }
  std::string text() const { return out.str(); }
  std::ostringstream out;
  std::shared_ptr<spdlog::logger> previous;
};

}  // namespace

TEST_CASE("a genuine Bot Connector token passes and the keys are fetched once", "[teams][auth]") {
  InboundFixture f;
  CHECK(f.check(f.fake.token(f.claims())) == AuthFailure::none);
  CHECK(f.check(f.fake.token(f.claims())) == AuthFailure::none);
  CHECK(f.fake.requests(Endpoint::metadata) == 1);
  CHECK(f.fake.requests(Endpoint::jwks) == 1);
}

TEST_CASE("a genuine token passes over HTTPS with the fake's certificate trusted",
          "[teams][auth]") {
  FakeTeamsIdentity::Options options;
  options.https = true;
  InboundFixture f(options);
  REQUIRE(f.fake.openid_url().starts_with("https://"));
  CHECK(f.check(f.fake.token(f.claims())) == AuthFailure::none);
}

TEST_CASE("a missing or non-Bearer Authorization header is refused as missing", "[teams][auth]") {
  InboundFixture f;
  CHECK(f.auth.check("", kServiceUrl, "msteams").failure == AuthFailure::missing);
  CHECK(f.auth.check("Basic " + f.fake.token(f.claims()), kServiceUrl, "msteams").failure ==
        AuthFailure::missing);
  CHECK(f.fake.requests(Endpoint::metadata) == 0);
}

TEST_CASE("a token that is not a JWT is refused as malformed", "[teams][auth]") {
  InboundFixture f;
  CHECK(f.check("not-a-jwt") == AuthFailure::malformed);
  CHECK(f.check("a.b.c") == AuthFailure::malformed);
  CHECK(f.check(okr::test::assemble_jwt({{"alg", "RS256"}}, f.claims(), "sig")) ==
        AuthFailure::malformed);  // no kid: no key could be chosen
}

TEST_CASE("a token from the wrong issuer is refused", "[teams][auth]") {
  InboundFixture f;
  auto claims = f.claims();
  claims["iss"] = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/";
  CHECK(f.check(f.fake.token(claims)) == AuthFailure::wrong_issuer);
}

TEST_CASE("a single-tenant bot also accepts its own tenant's issuers", "[teams][auth]") {
  const std::string tenant = "11111111-2222-3333-4444-555555555555";
  InboundFixture f({}, tenant);
  auto claims = f.claims();
  claims["iss"] = "https://login.microsoftonline.com/" + tenant + "/v2.0";
  CHECK(f.check(f.fake.token(claims)) == AuthFailure::none);
  claims["iss"] = "https://sts.windows.net/" + tenant + "/";
  CHECK(f.check(f.fake.token(claims)) == AuthFailure::none);
  claims["iss"] = "https://sts.windows.net/99999999-2222-3333-4444-555555555555/";
  CHECK(f.check(f.fake.token(claims)) == AuthFailure::wrong_issuer);
}

TEST_CASE("a token for another app is refused as wrong_audience", "[teams][auth]") {
  InboundFixture f;
  auto claims = f.claims();
  claims["aud"] = "00000000-0000-4000-8000-0000000000ff";
  CHECK(f.check(f.fake.token(claims)) == AuthFailure::wrong_audience);
}

TEST_CASE("a token signed with a key the JWKS does not publish is refused as unknown_key",
          "[teams][auth]") {
  InboundFixture f;
  const okr::test::TestRsaKey rogue("rogue-key");
  CHECK(f.check(okr::test::sign_jwt(json::object(), f.claims(), rogue)) ==
        AuthFailure::unknown_key);
}

TEST_CASE("a token signed by another key under the published kid is refused as bad_signature",
          "[teams][auth]") {
  InboundFixture f;
  const okr::test::TestRsaKey rogue("rogue-key");
  CHECK(f.check(okr::test::sign_jwt({{"kid", f.fake.key().kid()}}, f.claims(), rogue)) ==
        AuthFailure::bad_signature);
}

TEST_CASE("an expired token is refused, one within the five-minute skew is not", "[teams][auth]") {
  InboundFixture f;
  auto claims = f.claims();
  claims["exp"] = f.now.load() - 301;
  CHECK(f.check(f.fake.token(claims)) == AuthFailure::expired);
  claims["exp"] = f.now.load() - 240;
  CHECK(f.check(f.fake.token(claims)) == AuthFailure::none);
}

TEST_CASE("a token that is not yet valid is refused, one within the skew is not", "[teams][auth]") {
  InboundFixture f;
  auto claims = f.claims();
  claims["nbf"] = f.now.load() + 301;
  CHECK(f.check(f.fake.token(claims)) == AuthFailure::not_yet_valid);
  claims["nbf"] = f.now.load() + 240;
  CHECK(f.check(f.fake.token(claims)) == AuthFailure::none);
}

TEST_CASE("a tampered token is refused as bad_signature", "[teams][auth]") {
  InboundFixture f;
  const std::string genuine = f.fake.token(f.claims());
  // Claims changed after signing (a wider audience, say), signature kept.
  auto claims = f.claims();
  claims["aud"] = "someone-else";
  const std::string swapped_payload =
      okr::test::jwt_signing_input({{"typ", "JWT"}, {"alg", "RS256"}, {"kid", f.fake.key().kid()}},
                                   claims) +
      genuine.substr(genuine.rfind('.'));
  CHECK(f.check(swapped_payload) == AuthFailure::bad_signature);
  // One signature character changed.
  std::string flipped = genuine;
  char& c = flipped[flipped.size() - 10];
  c = c == 'A' ? 'B' : 'A';
  CHECK(f.check(flipped) == AuthFailure::bad_signature);
}

TEST_CASE("alg none is refused before any key is consulted", "[teams][auth]") {
  InboundFixture f;
  const json header{{"alg", "none"}, {"kid", f.fake.key().kid()}};
  CHECK(f.check(okr::test::assemble_jwt(header, f.claims(), "")) == AuthFailure::bad_algorithm);
  CHECK(f.fake.requests(Endpoint::jwks) == 0);
}

TEST_CASE("HS256 signed with the public key as the secret is refused", "[teams][auth]") {
  InboundFixture f;
  const json header{{"alg", "HS256"}, {"kid", f.fake.key().kid()}};
  const auto claims = f.claims();
  for (const std::string& secret :
       {f.fake.key().public_key_pem(), f.fake.key().jwk()["n"].get<std::string>()}) {
    const auto signature =
        okr::test::hmac_sha256(secret, okr::test::jwt_signing_input(header, claims));
    CHECK(f.check(okr::test::assemble_jwt(header, claims, signature)) ==
          AuthFailure::bad_algorithm);
  }
  const json rs512{{"alg", "RS512"}, {"kid", f.fake.key().kid()}};
  CHECK(f.check(okr::test::sign_jwt(rs512, claims, f.fake.key())) == AuthFailure::bad_algorithm);
}

TEST_CASE("a serviceUrl claim unlike the activity's serviceUrl is refused", "[teams][auth]") {
  InboundFixture f;
  const std::string token = f.fake.token(f.claims());
  CHECK(f.check(token, "https://evil.example.com/amer/") == AuthFailure::service_url_mismatch);
  CHECK(f.check(token, "") == AuthFailure::service_url_mismatch);
}

TEST_CASE("a key not endorsed for the activity's channel is refused", "[teams][auth]") {
  InboundFixture f;
  const std::string token = f.fake.token(f.claims());
  CHECK(f.check(token, kServiceUrl, "skype") == AuthFailure::channel_not_endorsed);
  CHECK(f.check(token, kServiceUrl, "") == AuthFailure::channel_not_endorsed);
  f.fake.publish({f.fake.key().jwk({"webchat"})});
  f.advance(25 * 3600);  // the cache is a day old: the new endorsements are fetched
  auto claims = f.claims();
  CHECK(f.check(f.fake.token(claims)) == AuthFailure::channel_not_endorsed);
  CHECK(f.fake.requests(Endpoint::jwks) == 2);
}

TEST_CASE("an unknown kid refetches the keys at most once a minute", "[teams][auth]") {
  InboundFixture f;
  REQUIRE(f.check(f.fake.token(f.claims())) == AuthFailure::none);
  const okr::test::TestRsaKey rotated("fake-key-2");
  f.fake.publish({f.fake.key().jwk(), rotated.jwk()});
  const std::string rotated_token = okr::test::sign_jwt(json::object(), f.claims(), rotated);

  f.advance(30);  // the first fetch was 30 s ago: no new attempt yet
  CHECK(f.check(rotated_token) == AuthFailure::unknown_key);
  CHECK(f.fake.requests(Endpoint::jwks) == 1);

  f.advance(31);
  CHECK(f.check(okr::test::sign_jwt(json::object(), f.claims(), rotated)) == AuthFailure::none);
  CHECK(f.fake.requests(Endpoint::jwks) == 2);

  const okr::test::TestRsaKey rogue("rogue-key");
  for (int i = 0; i < 5; ++i) {  // a stream of forged kids costs no fetch within the minute
    CHECK(f.check(okr::test::sign_jwt(json::object(), f.claims(), rogue)) ==
          AuthFailure::unknown_key);
  }
  CHECK(f.fake.requests(Endpoint::jwks) == 2);
  CHECK(f.auth.keys().fetch_attempts() == 2);
}

TEST_CASE("unreachable metadata or keys give keys_unavailable, then recover after a minute",
          "[teams][auth]") {
  InboundFixture f;
  f.fake.fail_next(Endpoint::metadata, 1, FakeTeamsIdentity::Fault::server_error);
  CHECK(f.check(f.fake.token(f.claims())) == AuthFailure::keys_unavailable);
  CHECK(f.check(f.fake.token(f.claims())) == AuthFailure::keys_unavailable);
  CHECK(f.fake.requests(Endpoint::metadata) == 1);  // no hammering within the minute

  f.advance(60);
  f.fake.fail_next(Endpoint::jwks, 1, FakeTeamsIdentity::Fault::server_error);
  CHECK(f.check(f.fake.token(f.claims())) == AuthFailure::keys_unavailable);

  f.advance(60);
  CHECK(f.check(f.fake.token(f.claims())) == AuthFailure::none);
}

TEST_CASE("a failed refetch keeps the keys already known", "[teams][auth]") {
  InboundFixture f;
  REQUIRE(f.check(f.fake.token(f.claims())) == AuthFailure::none);
  f.advance(120);
  f.fake.fail_next(Endpoint::metadata, 1, FakeTeamsIdentity::Fault::server_error);
  const okr::test::TestRsaKey rogue("rogue-key");
  CHECK(f.check(okr::test::sign_jwt(json::object(), f.claims(), rogue)) ==
        AuthFailure::unknown_key);
  CHECK(f.fake.requests(Endpoint::metadata) == 2);
  CHECK(f.check(f.fake.token(f.claims())) == AuthFailure::none);
}

TEST_CASE("rejections and fetch failures are logged without the token", "[teams][auth]") {
  InboundFixture f;
  CapturedLog log;
  auto claims = f.claims();
  claims["aud"] = "someone-else";
  const std::string token = f.fake.token(claims);
  CHECK(f.check(token) == AuthFailure::wrong_audience);
  f.advance(120);
  f.fake.fail_next(Endpoint::metadata, 1, FakeTeamsIdentity::Fault::server_error);
  const okr::test::TestRsaKey rogue("rogue-key");
  const std::string rogue_token = okr::test::sign_jwt(json::object(), f.claims(), rogue);
  CHECK(f.check(rogue_token) == AuthFailure::unknown_key);
  const std::string text = log.text();
  CHECK_THAT(text, Catch::Contains("wrong_audience"));
  CHECK_THAT(text, Catch::Contains("HTTP 500"));
  CHECK(text.find(token.substr(token.find('.') + 1, 40)) == std::string::npos);
  CHECK(text.find(rogue_token.substr(rogue_token.rfind('.') + 1, 40)) == std::string::npos);
  CHECK(text.find(token.substr(0, 30)) == std::string::npos);
}

TEST_CASE("metadata that no longer lists RS256 gives keys_unavailable", "[teams][auth]") {
  FakeTeamsIdentity::Options options;
  options.signing_algorithms = {"ES256"};
  InboundFixture f(options);
  CHECK(f.check(f.fake.token(f.claims())) == AuthFailure::keys_unavailable);
  CHECK(f.fake.requests(Endpoint::jwks) == 0);
}
