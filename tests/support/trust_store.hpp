#pragma once
// Helpers for tests of which CAs a TLS client trusts: environment variables OpenSSL reads
// (SSL_CERT_FILE, SSL_CERT_DIR), set for one test, and the name a CA needs in a hashed
// certificate directory.
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <catch2/catch.hpp>

namespace okr::test {

// Sets (or, with nullopt, unsets) an environment variable for one scope and restores it after.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const std::optional<std::string>& value) : name_(name) {
    if (const char* before = std::getenv(name))
      before_ = before;
    if (value)
      ::setenv(name, value->c_str(), 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnvironment() {
    if (before_)
      ::setenv(name_, before_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  const char* name_;
  std::optional<std::string> before_;
};

// The file name OpenSSL's directory lookup opens for the first certificate of a PEM file: its
// subject hash and ".0".
inline std::string hashed_ca_name(const std::string& pem_file) {
  FILE* file = std::fopen(pem_file.c_str(), "r");
  REQUIRE(file != nullptr);
  X509* cert = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  REQUIRE(cert != nullptr);
  char name[16];
  std::snprintf(name, sizeof name, "%08lx.0", X509_subject_name_hash(cert));
  X509_free(cert);
  return name;
}

}  // namespace okr::test
