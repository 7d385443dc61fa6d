#include "bot/web/web_gate.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <cctype>
#include <stdexcept>

#include "bot/web/web_request.hpp"
#include "config/config.hpp"

namespace okr::bot::web {
namespace {

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 0x0f];
  }
  return out;
}

std::string random_hex(std::size_t bytes) {
  std::array<unsigned char, 64> buffer{};
  if (bytes > buffer.size() || RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1)
    throw std::runtime_error("no random bytes for a web login code");
  return hex(buffer.data(), bytes);
}

std::string session_for(const std::string& token) {
  if (token.empty())
    return {};
  static constexpr std::string_view label = "okr-coach web session v1";
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), token.data(), static_cast<int>(token.size()),
       reinterpret_cast<const unsigned char*>(label.data()), label.size(), mac, &length);
  return hex(mac, length);
}

// Same length and same bytes, in time independent of where they differ.
bool same_secret(std::string_view a, std::string_view b) {
  return !a.empty() && a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semicolon = header.find(';');
    auto pair = trim(header.substr(0, semicolon));
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && trim(pair.substr(0, equals)) == name)
      return trim(pair.substr(equals + 1));
    if (semicolon == std::string_view::npos)
      break;
    header.remove_prefix(semicolon + 1);
  }
  return std::nullopt;
}

// The host part of a Host header value ("127.0.0.1:8080" -> "127.0.0.1", "[::1]:80" -> "::1").
std::string_view host_of(std::string_view value) {
  if (value.starts_with('[')) {
    const auto close = value.find(']');
    return close == std::string_view::npos ? value : value.substr(1, close - 1);
  }
  const auto colon = value.find(':');
  return colon == std::string_view::npos ? value : value.substr(0, colon);
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1")
    return true;
  if (!host.starts_with("127."))
    return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.')
      ++dots;
    else if (!std::isdigit(static_cast<unsigned char>(c)))
      return false;
  }
  return dots == 3;
}

std::optional<std::string> web_start_problem(const config::Config& config) {
  if (is_loopback_host(config.listen_host) || !config.web_token.empty())
    return std::nullopt;
  return std::string(kTokenVariable) + " must be set when serve listens on a non-loopback address (" +
         config.listen_host +
         "): the web page would otherwise be open to anyone who can reach it. Set it to a long "
         "random value, or listen on 127.0.0.1.";
}

WebGate::WebGate(bool loopback, std::string token)
    : loopback_(loopback),
      token_(loopback ? std::string() : std::move(token)),
      session_(session_for(token_)) {
  if (!loopback_ && token_.empty())
    throw std::invalid_argument("the web channel on a non-loopback address needs a token");
}

std::optional<http::HttpResponse> WebGate::refuse(const http::HttpRequest& request) const {
  if (loopback_) {
    const auto host = request.header("Host");
    if (host && is_loopback_host(host_of(*host)))
      return std::nullopt;
    return http::json_error(403, "wrong_host",
                            "This page answers only on its loopback address (127.0.0.1).");
  }
  if (const auto authorization = request.header("Authorization")) {
    constexpr std::string_view bearer = "Bearer ";
    if (authorization->size() > bearer.size() &&
        http::iequals(authorization->substr(0, bearer.size()), bearer) &&
        same_secret(trim(authorization->substr(bearer.size())), token_))
      return std::nullopt;
  }
  if (const auto cookies = request.header("Cookie")) {
    if (const auto value = cookie_value(*cookies, kSessionCookie); value && same_secret(*value, session_))
      return std::nullopt;
  }
  auto refused = http::json_error(
      401, "unauthorized",
      "Sign in with the login link okr-coach serve printed, or send the web token as a bearer token.");
  refused.headers.emplace_back("WWW-Authenticate", "Bearer");
  return refused;
}

std::string WebGate::issue_login_code() {
  std::lock_guard lock(mutex_);
  login_code_ = random_hex(24);
  return login_code_;
}

http::HttpResponse WebGate::redeem(const http::HttpRequest& request) {
  const auto code = query_parameter(request.query, "code");
  {
    std::lock_guard lock(mutex_);
    if (loopback_ || !code || !same_secret(*code, login_code_))
      return http::json_error(401, "unauthorized",
                              "This login link is not valid (each link works once). Restart "
                              "okr-coach serve for a new one, or use the web token.");
    login_code_.clear();
  }
  http::HttpResponse response;
  response.status = 303;
  response.headers = {{"Location", "/"},
                      {"Set-Cookie", std::string(kSessionCookie) + "=" + session_ +
                                         "; Path=/; HttpOnly; SameSite=Strict"},
                      {"Cache-Control", "no-store"}};
  return response;
}

}  // namespace okr::bot::web
