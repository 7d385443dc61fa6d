#include "bot/http/tls_context.hpp"

#include <stdexcept>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace okr::bot::http {
namespace {

namespace ssl = boost::asio::ssl;

// OpenSSL's reason for the last failure ("no start line", "key values mismatch"): a category,
// never the bytes of the file.
std::string last_reason(const boost::system::error_code& error) {
  return error.message().empty() ? std::string("unknown TLS error") : error.message();
}

}  // namespace

std::unique_ptr<ssl::context> make_server_tls(const std::string& cert_file,
                                              const std::string& key_file) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  // TLS 1.0 and 1.1 are deprecated (RFC 8996); compression invites CRIME.
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                       ssl::context::no_tlsv1_1 | ssl::context::no_compression);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  // An encrypted key would otherwise make OpenSSL prompt on the terminal and hang a service.
  context->set_password_callback(
      [](std::size_t, ssl::context::password_purpose) { return std::string(); });

  boost::system::error_code error;
  context->use_certificate_chain_file(cert_file, error);
  if (error) {
    throw std::runtime_error("cannot serve HTTPS: the certificate file " + cert_file +
                             " cannot be used (" + last_reason(error) +
                             "); it must hold a PEM certificate chain");
  }
  const auto mismatch = [&] {
    return std::runtime_error("cannot serve HTTPS: the private key in " + key_file +
                              " does not belong to the certificate in " + cert_file);
  };
  context->use_private_key_file(key_file, ssl::context::pem, error);
  if (error && last_reason(error).find("mismatch") != std::string::npos) {
    throw mismatch();  // OpenSSL compares the key with the certificate as it loads it
  }
  if (error) {
    throw std::runtime_error("cannot serve HTTPS: the private key file " + key_file +
                             " cannot be used (" + last_reason(error) +
                             "); it must hold an unencrypted PEM private key");
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    ERR_clear_error();
    throw mismatch();
  }
  return context;
}

}  // namespace okr::bot::http
