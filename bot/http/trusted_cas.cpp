#include "bot/http/trusted_cas.hpp"

#include <cstdlib>
#include <filesystem>

#include <openssl/x509.h>

namespace okr::bot::http {
namespace {

// Certificates named by subject hash ("9d04f354.0"), as update-ca-certificates and
// `openssl rehash` write them: the only names OpenSSL's directory lookup opens.
bool holds_hashed_certificates(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    const auto name = it->path().filename().string();
    if (name.size() == 10 && name.ends_with(".0"))
      return true;
  }
  return false;
}

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

boost::system::error_code trust_cas(boost::asio::ssl::context& tls, const std::string& ca_file) {
  boost::system::error_code error;
  if (!ca_file.empty()) {
    tls.load_verify_file(ca_file, error);
    return error;
  }
  const bool file_chosen = !environment(X509_get_default_cert_file_env()).empty();
  std::string dir = environment(X509_get_default_cert_dir_env());
  if (dir.empty())
    dir = X509_get_default_cert_dir();
  if (!file_chosen && holds_hashed_certificates(dir))
    tls.add_verify_path(dir, error);
  else
    tls.set_default_verify_paths(error);
  return error;
}

}  // namespace okr::bot::http
