// Tokens at rest: AES-256-GCM under OKR_COACH_SECRET_KEY, one fresh nonce per value.
#include <catch2/catch.hpp>

#include "bot/secrets/base64.hpp"
#include "bot/secrets/sealed_value.hpp"
#include "bot/secrets/secret_key.hpp"

using okr::bot::secrets::base64_decode;
using okr::bot::secrets::base64_encode;
using okr::bot::secrets::parse_secret_key;
using okr::bot::secrets::seal;
using okr::bot::secrets::sealed_key_id;
using okr::bot::secrets::unseal;

namespace {

// 32 bytes of 'a' / 'b', as `openssl rand -base64 32` would print them.
const std::string kKeyA = base64_encode(std::string(32, 'a'));
const std::string kKeyB = base64_encode(std::string(32, 'b'));
const std::string kToken = "xoxb-1234-5678-abcdefghijklmnop";

}  // namespace

TEST_CASE("base64 round-trips any bytes and refuses what is not canonical", "[secrets]") {
  for (const std::string& bytes : {std::string(), std::string("f"), std::string("fo"),
                                  std::string("foo"), std::string("\0\xff\x10 z", 5)}) {
    CHECK(base64_decode(base64_encode(bytes)) == bytes);
  }
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK_FALSE(base64_decode("Zm9vYg="));    // bad length
  CHECK_FALSE(base64_decode("Zm9v!g=="));   // stray character
  CHECK_FALSE(base64_decode("Zm9vYh=="));   // hidden bits set
  CHECK_FALSE(base64_decode("Zm=vYg=="));   // padding in the middle
}

TEST_CASE("a secret key is exactly 32 bytes of base64 and is known by its id", "[secrets]") {
  const auto key = parse_secret_key(kKeyA);
  REQUIRE(key);
  CHECK(key->bytes.size() == 32);
  CHECK(key->id.size() == 8);
  CHECK(key->describe().find(kKeyA) == std::string::npos);
  CHECK(parse_secret_key(kKeyB)->id != key->id);
  CHECK_FALSE(parse_secret_key(base64_encode(std::string(31, 'a'))));
  CHECK_FALSE(parse_secret_key(base64_encode(std::string(33, 'a'))));
  CHECK_FALSE(parse_secret_key("not base64 at all"));
}

TEST_CASE("a sealed token opens with its key and context and shows no plain text", "[secrets]") {
  const auto key = *parse_secret_key(kKeyA);
  const auto sealed = seal(key, "slack bot_token T1", kToken);
  CHECK(sealed.find(kToken) == std::string::npos);
  CHECK(sealed.find("xoxb") == std::string::npos);
  CHECK(sealed_key_id(sealed) == key.id);
  CHECK(unseal(key, "slack bot_token T1", sealed) == kToken);
}

TEST_CASE("sealing the same token twice gives two different values", "[secrets]") {
  const auto key = *parse_secret_key(kKeyA);
  CHECK(seal(key, "c", kToken) != seal(key, "c", kToken));
}

TEST_CASE("a sealed token does not open with another key, context or a changed byte",
          "[secrets]") {
  const auto key = *parse_secret_key(kKeyA);
  const auto other = *parse_secret_key(kKeyB);
  const auto sealed = seal(key, "slack bot_token T1", kToken);
  CHECK_FALSE(unseal(other, "slack bot_token T1", sealed));
  // Moved to another workspace's row: the context differs.
  CHECK_FALSE(unseal(key, "slack bot_token T2", sealed));
  // Flip one bit of the ciphertext, keeping the text valid base64.
  const auto colon = sealed.rfind(':');
  auto raw = *base64_decode(sealed.substr(colon + 1));
  raw[raw.size() / 2] = static_cast<char>(raw[raw.size() / 2] ^ 0x01);
  CHECK_FALSE(unseal(key, "slack bot_token T1", sealed.substr(0, colon + 1) + base64_encode(raw)));
  CHECK_FALSE(unseal(key, "slack bot_token T1", "xoxb-plain-token"));
  CHECK_FALSE(sealed_key_id("xoxb-plain-token"));
}
