#pragma once
// Internal to bot/http: the server side of native TLS. Only server.cpp includes this (it
// carries Asio's SSL headers); the rest of the service sees HttpServer::serve_https.
#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace okr::bot::http {

// Counted per failed handshake (defined when the server is given a certificate).
inline constexpr const char* kTlsHandshakeFailures = "okr_coach_http_tls_handshake_failures_total";

// A TLS 1.2+ server context holding the certificate chain in `cert_file` and the private key in
// `key_file` (both PEM). Throws std::runtime_error naming the file and what is wrong with it
// (unreadable, not PEM, key not matching the certificate) — never any key material.
std::unique_ptr<boost::asio::ssl::context> make_server_tls(const std::string& cert_file,
                                                           const std::string& key_file);

}  // namespace okr::bot::http
