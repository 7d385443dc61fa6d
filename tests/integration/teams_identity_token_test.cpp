// Outbound Teams tokens (platforms.md §12): the client-credentials grant against a fake token
// endpoint over real loopback HTTP(S); caching, early refresh, one fetch for concurrent callers,
// invalidate(), and errors that never carry the password or a token.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "bot/http/client.hpp"
#include "bot/teams/client_credentials.hpp"
#include "tests/support/fake_teams_identity.hpp"

using okr::bot::teams::ClientCredentialsSettings;
using okr::bot::teams::ClientCredentialsTokenSource;
using okr::bot::teams::TokenError;
using okr::test::FakeTeamsIdentity;
using Endpoint = FakeTeamsIdentity::Endpoint;
using Fault = FakeTeamsIdentity::Fault;

namespace {

constexpr std::int64_t kStart = 1'790'000'000;

okr::bot::http::ClientOptions client_options(const FakeTeamsIdentity& fake) {
  okr::bot::http::ClientOptions options;
  options.ca_file = fake.ca_file();
  options.total_timeout = std::chrono::milliseconds(2'000);
  return options;
}

struct TokenFixture {
  explicit TokenFixture(FakeTeamsIdentity::Options options = {})
      : fake(std::move(options)),
        client(client_options(fake)),
        source(client,
               ClientCredentialsSettings{fake.token_url(), fake.options().app_id,
                                         fake.options().app_password},
               [this] { return okr::dialogs::TimePoint(std::chrono::seconds(now.load())); }) {}

  std::atomic<std::int64_t> now{kStart};
  FakeTeamsIdentity fake;
  okr::bot::http::HttpClient client;
  ClientCredentialsTokenSource source;
};

// The TokenError bearer() throws, checked to hold neither the password nor an issued token.
TokenError token_error(TokenFixture& f) {
  try {
    f.source.bearer();
  } catch (const TokenError& error) {
    const std::string message = error.what();
    CHECK(message.find(f.fake.options().app_password) == std::string::npos);
    CHECK(message.find("fake-access-token") == std::string::npos);
    return error;
  }
  FAIL("bearer() did not throw");
  return TokenError("", false);
}

}  // namespace

TEST_CASE("the first bearer() posts the client-credentials form and returns the access token",
          "[teams][token]") {
  TokenFixture f;
  CHECK(f.source.bearer() == "fake-access-token-1");
  REQUIRE(f.fake.token_bodies().size() == 1);
  CHECK(f.fake.token_bodies()[0] ==
        "grant_type=client_credentials&client_id=" + f.fake.options().app_id +
            "&client_secret=" + "fake-app-password~0123456789" +
            "&scope=https%3A%2F%2Fapi.botframework.com%2F.default");
  CHECK(f.fake.token_content_types()[0] == "application/x-www-form-urlencoded");
}

TEST_CASE("a password with form-special characters is percent-encoded", "[teams][token]") {
  FakeTeamsIdentity::Options options;
  options.app_password = "a+b&c=d/e f~";
  TokenFixture f(options);
  CHECK(f.source.bearer() == "fake-access-token-1");  // the fake decodes and compares it
  CHECK(f.fake.token_bodies()[0].find("client_secret=a%2Bb%26c%3Dd%2Fe%20f~&") !=
        std::string::npos);
}

TEST_CASE("the token is reused until five minutes before it expires", "[teams][token]") {
  TokenFixture f;
  CHECK(f.source.bearer() == "fake-access-token-1");
  f.now += 3600 - 5 * 60 - 1;
  CHECK(f.source.bearer() == "fake-access-token-1");
  CHECK(f.fake.requests(Endpoint::token) == 1);
  f.now += 1;
  CHECK(f.source.bearer() == "fake-access-token-2");
  CHECK(f.fake.requests(Endpoint::token) == 2);
}

TEST_CASE("a short-lived token is refreshed halfway through its life", "[teams][token]") {
  FakeTeamsIdentity::Options options;
  options.expires_in = 120;
  TokenFixture f(options);
  CHECK(f.source.bearer() == "fake-access-token-1");
  f.now += 59;
  CHECK(f.source.bearer() == "fake-access-token-1");
  f.now += 1;
  CHECK(f.source.bearer() == "fake-access-token-2");
}

TEST_CASE("concurrent callers share one token request", "[teams][token]") {
  TokenFixture f;
  f.fake.fail_next(Endpoint::token, 1, Fault::slow, std::chrono::milliseconds(300));
  std::vector<std::string> tokens(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    threads.emplace_back([&, i] { tokens[i] = f.source.bearer(); });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(f.fake.requests(Endpoint::token) == 1);
  CHECK(f.source.fetches() == 1);
  for (const auto& token : tokens) {
    CHECK(token == "fake-access-token-1");
  }
}

TEST_CASE("concurrent callers waiting on a failing request all get its error", "[teams][token]") {
  TokenFixture f;
  f.fake.fail_next(Endpoint::token, 100, Fault::invalid_client, std::chrono::milliseconds(300));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      try {
        f.source.bearer();
      } catch (const TokenError&) {
        ++failures;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(failures == 6);
  CHECK(f.fake.requests(Endpoint::token) >= 1);
  CHECK(f.source.fetches() == f.fake.requests(Endpoint::token));
}

TEST_CASE("invalidate drops the current token so the next bearer() fetches anew",
          "[teams][token]") {
  TokenFixture f;
  const std::string first = f.source.bearer();
  f.source.invalidate("some-older-token");  // not the current one: kept
  CHECK(f.source.bearer() == first);
  f.source.invalidate(first);
  CHECK(f.source.bearer() == "fake-access-token-2");
  CHECK(f.fake.requests(Endpoint::token) == 2);
}

TEST_CASE("a 500 from the token endpoint is a retryable TokenError naming the host",
          "[teams][token]") {
  TokenFixture f;
  f.fake.fail_next(Endpoint::token, 1, Fault::server_error);
  const auto error = token_error(f);
  CHECK(error.retryable());
  CHECK_THAT(error.what(), Catch::Contains("127.0.0.1") && Catch::Contains("500"));
  CHECK(f.source.bearer() == "fake-access-token-1");  // the error is not cached
}

TEST_CASE("invalid_client is a TokenError that is not retryable", "[teams][token]") {
  TokenFixture f;
  f.fake.fail_next(Endpoint::token, 1, Fault::invalid_client);
  const auto error = token_error(f);
  CHECK_FALSE(error.retryable());
  CHECK_THAT(error.what(), Catch::Contains("invalid_client"));
}

TEST_CASE("a wrong password is refused by the endpoint and not echoed", "[teams][token]") {
  FakeTeamsIdentity fake;
  okr::bot::http::HttpClient client(client_options(fake));
  ClientCredentialsTokenSource source(
      client, ClientCredentialsSettings{fake.token_url(), fake.options().app_id, "wrong-pw-123"},
      [] { return okr::dialogs::TimePoint(std::chrono::seconds(kStart)); });
  try {
    source.bearer();
    FAIL("bearer() did not throw");
  } catch (const TokenError& error) {
    CHECK_FALSE(error.retryable());
    CHECK(std::string(error.what()).find("wrong-pw-123") == std::string::npos);
  }
}

TEST_CASE("an endpoint that does not answer in time is a retryable TokenError", "[teams][token]") {
  TokenFixture f;
  f.fake.fail_next(Endpoint::token, 1, Fault::slow, std::chrono::milliseconds(5'000));
  CHECK(token_error(f).retryable());
}

TEST_CASE("an endpoint nobody listens on is a retryable TokenError", "[teams][token]") {
  std::string url;
  {
    FakeTeamsIdentity gone;
    url = gone.token_url();
  }
  okr::bot::http::HttpClient client;
  ClientCredentialsTokenSource source(
      client, ClientCredentialsSettings{url, "app", "pw-never-shown"},
      [] { return okr::dialogs::TimePoint(std::chrono::seconds(kStart)); });
  try {
    source.bearer();
    FAIL("bearer() did not throw");
  } catch (const TokenError& error) {
    CHECK(error.retryable());
    CHECK(std::string(error.what()).find("pw-never-shown") == std::string::npos);
  }
}

TEST_CASE("tokens are fetched over HTTPS with the fake's certificate trusted", "[teams][token]") {
  FakeTeamsIdentity::Options options;
  options.https = true;
  TokenFixture f(options);
  REQUIRE(f.fake.token_url().starts_with("https://"));
  CHECK(f.source.bearer() == "fake-access-token-1");
}
