#include "bot/secrets/sealed_value.hpp"

#include <memory>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "bot/secrets/base64.hpp"

namespace okr::bot::secrets {
namespace {

constexpr std::string_view kPrefix = "okr1:";
constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext new_context() {
  CipherContext context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!context)
    throw std::runtime_error("sealing a token: OpenSSL could not allocate a cipher context");
  return context;
}

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

std::string seal(const SecretKey& key, std::string_view context, std::string_view plaintext) {
  std::string nonce(kNonceBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), kNonceBytes) != 1)
    throw std::runtime_error("sealing a token: no random bytes for the nonce");
  auto ctx = new_context();
  std::string out(plaintext.size() + kTagBytes, '\0');
  auto* out_bytes = reinterpret_cast<unsigned char*>(out.data());
  int length = 0;
  bool ok = EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1 &&
            EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes_of(key.bytes),
                               bytes_of(nonce)) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &length, bytes_of(context),
                              static_cast<int>(context.size())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), out_bytes, &length, bytes_of(plaintext),
                              static_cast<int>(plaintext.size())) == 1;
  int final_length = 0;
  ok = ok && EVP_EncryptFinal_ex(ctx.get(), out_bytes + length, &final_length) == 1 &&
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                           out_bytes + length + final_length) == 1;
  if (!ok)
    throw std::runtime_error("sealing a token: AES-256-GCM encryption failed");
  out.resize(static_cast<std::size_t>(length + final_length + kTagBytes));
  return std::string(kPrefix) + key.id + ":" + base64_encode(nonce + out);
}

std::optional<std::string> sealed_key_id(std::string_view sealed) {
  if (!sealed.starts_with(kPrefix))
    return std::nullopt;
  sealed.remove_prefix(kPrefix.size());
  const auto colon = sealed.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return std::nullopt;
  return std::string(sealed.substr(0, colon));
}

std::optional<std::string> unseal(const SecretKey& key, std::string_view context,
                                  std::string_view sealed) {
  const auto id = sealed_key_id(sealed);
  if (!id || *id != key.id)
    return std::nullopt;
  const auto raw = base64_decode(sealed.substr(kPrefix.size() + id->size() + 1));
  if (!raw || raw->size() < static_cast<std::size_t>(kNonceBytes + kTagBytes))
    return std::nullopt;
  const std::string_view all(*raw);
  const auto nonce = all.substr(0, kNonceBytes);
  const auto cipher = all.substr(kNonceBytes, all.size() - kNonceBytes - kTagBytes);
  std::string tag(all.substr(all.size() - kTagBytes));
  auto ctx = new_context();
  std::string plain(cipher.size(), '\0');
  auto* plain_bytes = reinterpret_cast<unsigned char*>(plain.data());
  int length = 0;
  int final_length = 0;
  const bool ok =
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1 &&
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes_of(key.bytes), bytes_of(nonce)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &length, bytes_of(context),
                        static_cast<int>(context.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), plain_bytes, &length, bytes_of(cipher),
                        static_cast<int>(cipher.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
      // The tag check happens here: a changed byte anywhere fails it.
      EVP_DecryptFinal_ex(ctx.get(), plain_bytes + length, &final_length) == 1;
  if (!ok)
    return std::nullopt;
  plain.resize(static_cast<std::size_t>(length + final_length));
  return plain;
}

}  // namespace okr::bot::secrets
