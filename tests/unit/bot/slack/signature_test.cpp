#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <openssl/hmac.h>
#include <catch2/catch.hpp>

#include "bot/slack/signature.hpp"

using okr::bot::slack::compute_signature;
using okr::bot::slack::SignatureCheck;
using okr::bot::slack::verify_signature;

namespace {

// Slack's documented example ("Verifying requests from Slack"), reproduced in platforms.md.
const std::string kSecret = "8f742231b10e8888abcd99yyyzzz85a5";
const std::string kTimestamp = "1531420618";
const std::string kBody =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
    "G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-"
    "collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%"
    "2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
    "803a0bc887a14d10d2c447fce8b6703c";
const std::string kSignature =
    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

std::chrono::system_clock::time_point at(long long seconds) {
  return std::chrono::system_clock::time_point{std::chrono::seconds{seconds}};
}

const auto kNow = at(1531420618 + 30);

}  // namespace

TEST_CASE("the documented Slack test vector verifies", "[slack][signature]") {
  REQUIRE(kBody.size() == 362);
  CHECK(compute_signature(kSecret, kTimestamp, kBody) == kSignature);
  CHECK(verify_signature(kSecret, kTimestamp, kSignature, kBody, kNow) == SignatureCheck::ok);
}

TEST_CASE("a signature made with another secret is a mismatch", "[slack][signature]") {
  CHECK(verify_signature("another-secret", kTimestamp, kSignature, kBody, kNow) ==
        SignatureCheck::mismatch);
  CHECK(verify_signature("", kTimestamp, kSignature, kBody, kNow) == SignatureCheck::mismatch);
}

TEST_CASE("a body altered by one byte is a mismatch", "[slack][signature]") {
  std::string altered = kBody;
  altered[altered.find("roadrunner")] = 'R';
  CHECK(verify_signature(kSecret, kTimestamp, kSignature, altered, kNow) ==
        SignatureCheck::mismatch);
  CHECK(verify_signature(kSecret, kTimestamp, kSignature, kBody + " ", kNow) ==
        SignatureCheck::mismatch);
}

TEST_CASE("a signed timestamp that differs from the signed one is a mismatch",
          "[slack][signature]") {
  CHECK(verify_signature(kSecret, "1531420619", kSignature, kBody, kNow) ==
        SignatureCheck::mismatch);
}

TEST_CASE("timestamps more than five minutes away are stale in both directions",
          "[slack][signature]") {
  const long long sent = 1531420618;
  CHECK(verify_signature(kSecret, kTimestamp, kSignature, kBody, at(sent + 300)) ==
        SignatureCheck::ok);
  CHECK(verify_signature(kSecret, kTimestamp, kSignature, kBody, at(sent - 300)) ==
        SignatureCheck::ok);
  CHECK(verify_signature(kSecret, kTimestamp, kSignature, kBody, at(sent + 301)) ==
        SignatureCheck::stale);
  CHECK(verify_signature(kSecret, kTimestamp, kSignature, kBody, at(sent - 301)) ==
        SignatureCheck::stale);
  CHECK(verify_signature(kSecret, kTimestamp, kSignature, kBody, at(sent + 86400)) ==
        SignatureCheck::stale);
}

TEST_CASE("missing headers are reported as such", "[slack][signature]") {
  CHECK(verify_signature(kSecret, std::nullopt, kSignature, kBody, kNow) ==
        SignatureCheck::missing_headers);
  CHECK(verify_signature(kSecret, kTimestamp, std::nullopt, kBody, kNow) ==
        SignatureCheck::missing_headers);
  CHECK(verify_signature(kSecret, "", kSignature, kBody, kNow) == SignatureCheck::missing_headers);
  CHECK(verify_signature(kSecret, std::nullopt, std::nullopt, kBody, kNow) ==
        SignatureCheck::missing_headers);
}

TEST_CASE("a non-numeric timestamp is malformed", "[slack][signature]") {
  for (const char* timestamp :
       {"abc", "1531420618x", "-1531420618", " 1531420618", "1.5", "99999999999999999999999"}) {
    INFO(timestamp);
    CHECK(verify_signature(kSecret, timestamp, kSignature, kBody, kNow) ==
          SignatureCheck::malformed);
  }
}

TEST_CASE("a signature not in the v0 hex form is malformed", "[slack][signature]") {
  const std::string hex = kSignature.substr(3);
  for (const std::string& signature : {hex, "v1=" + hex, "v0=" + hex.substr(1), "v0=" + hex + "0",
                                       "v0=" + hex.substr(1) + "g", std::string("v0=")}) {
    INFO(signature);
    CHECK(verify_signature(kSecret, kTimestamp, signature, kBody, kNow) ==
          SignatureCheck::malformed);
  }
}

TEST_CASE("one signing key checks many requests, from several threads at once",
          "[slack][signature]") {
  const okr::bot::slack::SigningKey key(kSecret);
  CHECK(key.sign(kTimestamp, kBody) == kSignature);
  std::string altered = kBody;
  altered.back() = 'x';
  const std::string altered_signature = compute_signature(kSecret, kTimestamp, altered);
  REQUIRE(altered_signature != kSignature);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        // A good request, then a tampered one: the key's state must not carry over between them.
        if (key.verify(kTimestamp, kSignature, kBody, kNow) != SignatureCheck::ok)
          ++wrong;
        if (key.verify(kTimestamp, kSignature, altered, kNow) != SignatureCheck::mismatch)
          ++wrong;
        if (key.sign(kTimestamp, altered) != altered_signature)
          ++wrong;
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  CHECK(wrong == 0);
}

TEST_CASE("a key made from an empty secret never verifies, even its own signature",
          "[slack][signature]") {
  const okr::bot::slack::SigningKey key("");
  CHECK(key.empty());
  const auto own = key.sign(kTimestamp, kBody);
  CHECK(key.verify(kTimestamp, own, kBody, kNow) == SignatureCheck::mismatch);
}

TEST_CASE("signatures match OpenSSL's own HMAC-SHA256 for keys of every length class",
          "[slack][signature]") {
  // The key's block-size edges (RFC 2104): empty, shorter than, exactly and longer than SHA-256's
  // 64-byte block, where a long key is hashed first.
  for (const std::size_t key_size : {0UL, 1UL, 32UL, 63UL, 64UL, 65UL, 200UL}) {
    std::string secret;
    for (std::size_t i = 0; i < key_size; ++i)
      secret.push_back(static_cast<char>('a' + i % 26));
    for (const std::string& body :
         {std::string(), std::string("x"), kBody, std::string(5000, 'b')}) {
      INFO("key " << key_size << " bytes, body " << body.size() << " bytes");
      const std::string message = "v0:" + kTimestamp + ":" + body;
      unsigned char digest[32];
      unsigned int size = 0;
      static const unsigned char kNoKey = 0;
      REQUIRE(HMAC(EVP_sha256(),
                   secret.empty() ? &kNoKey : reinterpret_cast<const unsigned char*>(secret.data()),
                   static_cast<int>(secret.size()),
                   reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest,
                   &size) != nullptr);
      std::string expected = "v0=";
      for (unsigned int i = 0; i < size; ++i) {
        static constexpr char kDigits[] = "0123456789abcdef";
        expected.push_back(kDigits[digest[i] >> 4]);
        expected.push_back(kDigits[digest[i] & 0x0f]);
      }
      const okr::bot::slack::SigningKey key(secret);
      CHECK(key.sign(kTimestamp, body) == expected);
      if (!secret.empty())
        CHECK(key.verify(kTimestamp, expected, body, kNow) == SignatureCheck::ok);
    }
  }
}
