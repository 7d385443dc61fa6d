// Base64url, JWT parsing and RS256 verification, without any network.
#include <catch2/catch.hpp>

#include "bot/teams/base64url.hpp"
#include "bot/teams/jwt.hpp"
#include "bot/teams/jwt_signature.hpp"
#include "tests/support/fake_teams_identity.hpp"

using namespace okr::bot::teams;
using nlohmann::json;

namespace {

// One key per test binary run: RSA generation is slow enough to matter when repeated.
const okr::test::TestRsaKey& test_key() {
  static const okr::test::TestRsaKey key("unit-key");
  return key;
}

RsaPublicKey public_key(const okr::test::TestRsaKey& key) {
  const json jwk = key.jwk();
  auto parsed = RsaPublicKey::from_jwk(jwk["n"].get<std::string>(), jwk["e"].get<std::string>());
  REQUIRE(parsed);
  return *parsed;
}

}  // namespace

TEST_CASE("base64url round-trips every length and byte value", "[teams][jwt]") {
  std::string bytes;
  for (int i = 0; i < 260; ++i) {
    const auto encoded = base64url_encode(bytes);
    CHECK(encoded.find_first_of("+/=") == std::string::npos);
    const auto decoded = base64url_decode(encoded);
    REQUIRE(decoded);
    CHECK(*decoded == bytes);
    bytes += static_cast<char>(255 - i % 256);
  }
}

TEST_CASE("base64url decodes the RFC 4648 vectors without padding", "[teams][jwt]") {
  CHECK(base64url_decode("Zm9vYmFy") == std::optional<std::string>("foobar"));
  CHECK(base64url_decode("Zm9vYg") == std::optional<std::string>("foob"));
  CHECK(base64url_encode("fooba") == "Zm9vYmE");
  CHECK(base64url_encode("\xfb\xff") == "-_8");
}

TEST_CASE("base64url rejects padding, the standard alphabet, stray bits and impossible lengths",
          "[teams][jwt]") {
  CHECK_FALSE(base64url_decode("Zm9vYg=="));
  CHECK_FALSE(base64url_decode("+/8"));
  CHECK_FALSE(base64url_decode("Zm9vY"));   // 5 characters: no encoder writes that
  CHECK_FALSE(base64url_decode("Zm9vYh"));  // "foob" is "Zm9vYg"; 'h' sets bits that are dropped
  CHECK_FALSE(base64url_decode("Zm 9v"));
}

TEST_CASE("parse_jwt splits a token into header, claims, signing input and signature",
          "[teams][jwt]") {
  const json header{{"alg", "RS256"}, {"kid", "k1"}};
  const json claims{{"iss", "x"}, {"exp", 5}};
  const std::string token = okr::test::assemble_jwt(header, claims, "sig\x01");
  const auto jwt = parse_jwt(token);
  REQUIRE(jwt);
  CHECK(jwt->header == header);
  CHECK(jwt->claims == claims);
  CHECK(jwt->algorithm() == "RS256");
  CHECK(jwt->key_id() == "k1");
  CHECK(jwt->signature == "sig\x01");
  CHECK(jwt->signing_input == token.substr(0, token.rfind('.')));
}

TEST_CASE("parse_jwt falls back to x5t when the header has no kid", "[teams][jwt]") {
  const auto jwt =
      parse_jwt(okr::test::assemble_jwt({{"alg", "RS256"}, {"x5t", "t1"}}, json::object(), "s"));
  REQUIRE(jwt);
  CHECK(jwt->key_id() == "t1");
}

TEST_CASE("parse_jwt rejects anything but three base64url parts of JSON objects", "[teams][jwt]") {
  const std::string h = base64url_encode(R"({"alg":"RS256"})");
  const std::string c = base64url_encode(R"({"iss":"x"})");
  CHECK_FALSE(parse_jwt(""));
  CHECK_FALSE(parse_jwt(h + "." + c));
  CHECK_FALSE(parse_jwt(h + "." + c + ".c2ln.extra"));
  CHECK_FALSE(parse_jwt(h + "." + c + ".c2ln="));
  CHECK_FALSE(parse_jwt(h + "." + base64url_encode("[1,2]") + ".c2ln"));
  CHECK_FALSE(parse_jwt(h + "." + base64url_encode("{not json") + ".c2ln"));
  CHECK_FALSE(parse_jwt(base64url_encode("\"RS256\"") + "." + c + ".c2ln"));
  CHECK(parse_jwt(h + "." + c + ".c2ln"));
}

TEST_CASE("bearer_token takes the token of a Bearer header only", "[teams][jwt]") {
  CHECK(bearer_token("Bearer abc.def.ghi") == std::optional<std::string_view>("abc.def.ghi"));
  CHECK(bearer_token("bearer  abc ") == std::optional<std::string_view>("abc"));
  CHECK_FALSE(bearer_token(""));
  CHECK_FALSE(bearer_token("Bearer "));
  CHECK_FALSE(bearer_token("Basic dXNlcjpwYXNz"));
  CHECK_FALSE(bearer_token("abc.def.ghi"));
}

TEST_CASE("an RS256 signature made with the private key verifies with the JWK's public key",
          "[teams][jwt]") {
  const auto key = public_key(test_key());
  CHECK(key.bits() == 2048);
  const std::string input = "header.payload";
  CHECK(key.verify_rs256(input, test_key().sign_rs256(input)));
}

TEST_CASE("RS256 verification fails for another input, a flipped bit or another key",
          "[teams][jwt]") {
  const auto key = public_key(test_key());
  const std::string signature = test_key().sign_rs256("header.payload");
  CHECK_FALSE(key.verify_rs256("header.payloaD", signature));
  std::string flipped = signature;
  flipped[10] = static_cast<char>(flipped[10] ^ 0x01);
  CHECK_FALSE(key.verify_rs256("header.payload", flipped));
  CHECK_FALSE(key.verify_rs256("header.payload", ""));
  const okr::test::TestRsaKey other("other");
  CHECK_FALSE(public_key(other).verify_rs256("header.payload", signature));
}

TEST_CASE("from_jwk refuses undecodable numbers and keys under 2048 bits", "[teams][jwt]") {
  const json jwk = test_key().jwk();
  CHECK_FALSE(RsaPublicKey::from_jwk("not base64url!", jwk["e"].get<std::string>()));
  CHECK_FALSE(RsaPublicKey::from_jwk(jwk["n"].get<std::string>(), ""));
  const okr::test::TestRsaKey weak("weak", 1024);
  const json weak_jwk = weak.jwk();
  CHECK_FALSE(
      RsaPublicKey::from_jwk(weak_jwk["n"].get<std::string>(), weak_jwk["e"].get<std::string>()));
}
