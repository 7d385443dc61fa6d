#include "bot/teams/jwt_signature.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <string>

#include "bot/teams/base64url.hpp"

namespace okr::bot::teams {

namespace {

constexpr int kMinimumBits = 2048;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using BldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;

BnPtr big_number(std::string_view base64url) {
  const auto bytes = base64url_decode(base64url);
  if (!bytes || bytes->empty()) {
    return nullptr;
  }
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()),
                         static_cast<int>(bytes->size()), nullptr));
}

}  // namespace

struct RsaPublicKey::Key {
  PkeyPtr pkey;
};

std::optional<RsaPublicKey> RsaPublicKey::from_jwk(std::string_view n, std::string_view e) {
  const BnPtr modulus = big_number(n);
  const BnPtr exponent = big_number(e);
  if (!modulus || !exponent || BN_num_bits(modulus.get()) < kMinimumBits) {
    return std::nullopt;
  }
  const BldPtr builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1) {
    return std::nullopt;
  }
  const ParamsPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
  const CtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1) {
    return std::nullopt;
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1 || !raw) {
    return std::nullopt;
  }
  auto key = std::make_shared<Key>();
  key->pkey.reset(raw);
  return RsaPublicKey(std::move(key));
}

bool RsaPublicKey::verify_rs256(std::string_view signing_input, std::string_view signature) const {
  const MdCtxPtr context(EVP_MD_CTX_new());
  if (!context || EVP_DigestVerifyInit_ex(context.get(), nullptr, "SHA256", nullptr, nullptr,
                                          key_->pkey.get(), nullptr) != 1) {
    return false;
  }
  // EVP_PKEY_RSA defaults to PKCS#1 v1.5 padding, which is what RS256 means.
  return EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()),
                          signing_input.size()) == 1;
}

int RsaPublicKey::bits() const {
  return EVP_PKEY_get_bits(key_->pkey.get());
}

}  // namespace okr::bot::teams
