#pragma once
// One table of (method, path pattern) -> handler. The router answers 404 for an unknown path
// and 405 (with Allow) for a known path with another method, and names the matched route so
// metrics and logs use the pattern, never the raw path (bounded label cardinality, no ids or
// tokens from URLs in the logs).
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/http/request.hpp"

namespace okr::bot::http {

using Handler = std::function<HttpResponse(const HttpRequest&)>;

// A handler that answers later: it keeps `respond` (copies are fine) and calls it exactly once,
// from any thread, when the answer is ready (a group commit, a long poll). The connection waits
// without holding a network thread. If the last copy of `respond` is destroyed uncalled the
// client gets a 500 `internal` (logged with the route); a second call is ignored.
using Respond = std::function<void(HttpResponse)>;  // call exactly once, from any thread
using DeferredHandler = std::function<void(HttpRequest&& request, Respond respond)>;

// The route name used when nothing matched (404, 405, and errors before routing).
inline constexpr std::string_view kUnmatchedRoute = "unmatched";

struct Route {
  std::string method;   // "GET", "POST", ...
  std::string pattern;  // "/healthz", or with `{name}` segments: "/api/objectives/{id}"
  Handler handler;           // set for a route that answers at once...
  DeferredHandler deferred;  // ...or this one for a route that answers later
  std::optional<std::size_t> body_limit;  // overrides HttpLimits::max_body_bytes for this route
  // The pattern split at '/', once when the route is added: matching runs on every request.
  std::vector<std::string> segments;
};

// What the router found for a method and path; cheap to copy, points into the Router.
struct RouteMatch {
  const Route* route = nullptr;      // set when method and path matched
  std::vector<std::string> allowed;  // methods for this path when only the method was wrong
  std::vector<std::pair<std::string, std::string>> params;  // `{name}` segment values
  std::string_view pattern;  // the path pattern found, with or without the right method

  std::string_view name() const;  // the pattern (also for a 405), or kUnmatchedRoute
  std::optional<std::size_t> body_limit() const;
  bool deferred() const { return route != nullptr && static_cast<bool>(route->deferred); }
};

class Router {
 public:
  // Adds a route. A second route with the same method and pattern is a bug: std::logic_error.
  void add(std::string method, std::string pattern, Handler handler,
           std::optional<std::size_t> body_limit = std::nullopt);
  // Adds a route whose handler answers later through `respond` (see DeferredHandler).
  void add_deferred(std::string method, std::string pattern, DeferredHandler handler,
                    std::optional<std::size_t> body_limit = std::nullopt);

  // HEAD matches the path's GET route when no HEAD route is registered (RFC 9110: the same
  // answer as GET, which the connection sends without its body).
  RouteMatch match(std::string_view method, std::string_view path) const;

  // Runs the matched handler, or answers 404/405. A handler that throws becomes a 500
  // {"error":"internal"}; the log names the route, never the request body.
  HttpResponse dispatch(const RouteMatch& match, HttpRequest& request) const;
  // For a deferred route (match.deferred()): hands the request and `respond` to its handler.
  // A handler that throws answers 500 `internal` through `respond` (ignored if it already
  // answered).
  void dispatch_deferred(const RouteMatch& match, HttpRequest&& request, Respond respond) const;
  // match + dispatch in one call (routes that answer at once only).
  HttpResponse handle(HttpRequest& request) const;

 private:
  void add_route(Route route);
  RouteMatch match_method(std::string_view method, std::string_view path) const;

  std::vector<Route> routes_;
};

}  // namespace okr::bot::http
