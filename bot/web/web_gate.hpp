#pragma once
// Who may use the web API. On a loopback address the page belongs to the one local person and
// needs no login, but the Host header must name the loopback address (a page on another site
// cannot reach us by re-pointing its own DNS name at 127.0.0.1). On any other address every
// API call needs OKR_COACH_WEB_TOKEN: as `Authorization: Bearer TOKEN`, or as the session
// cookie that a one-time login link sets. There is never a default password, and the token is
// never logged (the login link carries a one-time code instead).
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "bot/http/request.hpp"

namespace okr::config {
struct Config;
}

namespace okr::bot::web {

inline constexpr std::string_view kTokenVariable = "OKR_COACH_WEB_TOKEN";
inline constexpr std::string_view kSessionCookie = "okr_web_session";

// 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(std::string_view host);

// Why `serve` must not start with this configuration (a non-loopback listen address and no
// token), naming the variable to set; nullopt when it may.
std::optional<std::string> web_start_problem(const config::Config& config);

class WebGate {
 public:
  // `token` is ignored (and may be empty) when `loopback` is true.
  WebGate(bool loopback, std::string token);

  bool loopback() const { return loopback_; }

  // nullopt when the request may use the API; otherwise the error answer (403 wrong_host for a
  // foreign Host on loopback, 401 unauthorized without valid credentials).
  std::optional<http::HttpResponse> refuse(const http::HttpRequest& request) const;

  // A fresh one-time login code (replacing any earlier unused one). Token mode only.
  std::string issue_login_code();
  // GET /web/login?code=...: a valid unused code sets the session cookie and redirects to the
  // page; anything else is 401 and the code stays unused only if it was not this one.
  http::HttpResponse redeem(const http::HttpRequest& request);

 private:
  bool loopback_;
  std::string token_;
  std::string session_;  // cookie value: HMAC of the token, so a restart keeps people signed in
  std::mutex mutex_;
  std::string login_code_;  // empty once used
};

}  // namespace okr::bot::web
