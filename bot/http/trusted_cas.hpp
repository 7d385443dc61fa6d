#pragma once
// Internal to bot/: which certificate authorities a TLS client trusts. Only the sources that
// already carry Asio's SSL headers (the HTTP client, the Socket Mode link) include this.
#include <string>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

namespace okr::bot::http {

// Makes `tls` trust the PEM file `ca_file` (tls.ca_file), or, when it is empty, the system
// store. The system store is used through its hashed directory (/etc/ssl/certs, or
// SSL_CERT_DIR) when that holds certificates: OpenSSL then reads only the roots a handshake
// needs, when it needs them, where loading the whole bundle file keeps ~140 parsed
// certificates (about 1 MB) resident in every context. When SSL_CERT_FILE is set, or no hashed
// directory exists, OpenSSL's default paths (file and directory) are used as they are.
// Returns OpenSSL's error; the caller names what it was loading.
boost::system::error_code trust_cas(boost::asio::ssl::context& tls, const std::string& ca_file);

}  // namespace okr::bot::http
