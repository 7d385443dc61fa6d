#include "bot/http/router.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>

#include <spdlog/spdlog.h>

namespace okr::bot::http {
namespace {

std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      slash = path.size();
    }
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

bool is_parameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Matches the path's segments against a route's; on success returns how many segments matched
// literally, so the most specific route wins ("/objectives/new" before "/objectives/{id}").
std::optional<int> literal_score(const std::vector<std::string>& want,
                                 const std::vector<std::string_view>& have) {
  if (want.size() != have.size()) {
    return std::nullopt;
  }
  int literals = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (is_parameter(want[i])) {
      if (have[i].empty()) {
        return std::nullopt;
      }
    } else if (want[i] == have[i]) {
      ++literals;
    } else {
      return std::nullopt;
    }
  }
  return literals;
}

// The `{name}` segment values of a path that matched `want`.
std::vector<std::pair<std::string, std::string>> params_of(
    const std::vector<std::string>& want, const std::vector<std::string_view>& have) {
  std::vector<std::pair<std::string, std::string>> found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (is_parameter(want[i])) {
      found.emplace_back(want[i].substr(1, want[i].size() - 2), std::string(have[i]));
    }
  }
  return found;
}

}  // namespace

std::string_view RouteMatch::name() const {
  return pattern.empty() ? kUnmatchedRoute : pattern;
}

std::optional<std::size_t> RouteMatch::body_limit() const {
  return route != nullptr ? route->body_limit : std::nullopt;
}

void Router::add(std::string method, std::string pattern, Handler handler,
                 std::optional<std::size_t> body_limit) {
  add_route(Route{std::move(method), std::move(pattern), std::move(handler), {}, body_limit, {}});
}

void Router::add_deferred(std::string method, std::string pattern, DeferredHandler handler,
                          std::optional<std::size_t> body_limit) {
  add_route(Route{std::move(method), std::move(pattern), {}, std::move(handler), body_limit, {}});
}

void Router::add_route(Route route) {
  if (route.pattern.empty() || route.pattern.front() != '/') {
    throw std::logic_error("route pattern must start with '/': " + route.pattern);
  }
  for (const auto& existing : routes_) {
    if (existing.method == route.method && existing.pattern == route.pattern) {
      throw std::logic_error("route registered twice: " + route.method + " " + route.pattern);
    }
  }
  for (const auto segment : split_segments(route.pattern)) {
    route.segments.emplace_back(segment);
  }
  routes_.push_back(std::move(route));
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  auto result = match_method(method, path);
  if (result.route != nullptr || method != "HEAD") {
    return result;
  }
  // RFC 9110 9.3.2: HEAD is GET without the body, so every GET route answers it (same status
  // and headers; the transport leaves the body out). A route registered for HEAD itself wins.
  auto as_get = match_method("GET", path);
  if (as_get.route != nullptr) {
    return as_get;
  }
  return result;
}

RouteMatch Router::match_method(std::string_view method, std::string_view path) const {
  RouteMatch result;
  int best = -1;
  int best_any_method = -1;
  std::string_view best_pattern;
  const auto have = split_segments(path);
  for (const auto& route : routes_) {
    auto score = literal_score(route.segments, have);
    if (!score) {
      continue;
    }
    if (*score > best_any_method) {
      best_any_method = *score;
      best_pattern = route.pattern;
    }
    if (route.method == method && *score > best) {
      best = *score;
      result.route = &route;
    }
  }
  if (result.route != nullptr) {
    result.pattern = result.route->pattern;
    result.params = params_of(result.route->segments, have);
  } else if (best_any_method >= 0) {
    result.pattern = best_pattern;
    // The path exists under other methods: collect them for the Allow header.
    for (const auto& route : routes_) {
      if (route.pattern == best_pattern) {
        result.allowed.push_back(route.method);
      }
    }
    // A path that answers GET answers HEAD too, so Allow names both.
    if (std::find(result.allowed.begin(), result.allowed.end(), "GET") != result.allowed.end()) {
      result.allowed.emplace_back("HEAD");
    }
    std::sort(result.allowed.begin(), result.allowed.end());
    result.allowed.erase(std::unique(result.allowed.begin(), result.allowed.end()),
                         result.allowed.end());
  }
  return result;
}

namespace {

HttpResponse internal_error() {
  return json_error(500, "internal", "Something went wrong on our side; please try again.");
}

void fill_params(const RouteMatch& match, HttpRequest& request) {
  request.path_params.clear();
  for (const auto& [name, value] : match.params) {
    request.path_params.emplace(name, value);
  }
}

}  // namespace

HttpResponse Router::dispatch(const RouteMatch& match, HttpRequest& request) const {
  if (match.route != nullptr && !match.route->handler) {
    // A deferred route reached through the synchronous path is a wiring bug in the caller.
    spdlog::error("route {} {} answers later but was dispatched synchronously",
                  match.route->method, match.route->pattern);
    return internal_error();
  }
  if (match.route == nullptr) {
    if (match.allowed.empty()) {
      return json_error(404, "not_found", "No resource at this path.");
    }
    std::string allow;
    for (const auto& method : match.allowed) {
      allow += (allow.empty() ? "" : ", ") + method;
    }
    auto response =
        json_error(405, "method_not_allowed",
                   "This path does not accept " + request.method + "; use " + allow + ".");
    response.headers.emplace_back("Allow", allow);
    return response;
  }
  fill_params(match, request);
  try {
    return match.route->handler(request);
  } catch (const std::exception& error) {
    spdlog::error("handler for {} {} failed: {}", match.route->method, match.route->pattern,
                  error.what());
  } catch (...) {
    spdlog::error("handler for {} {} failed with a non-standard exception", match.route->method,
                  match.route->pattern);
  }
  return internal_error();
}

void Router::dispatch_deferred(const RouteMatch& match, HttpRequest&& request,
                               Respond respond) const {
  if (!match.deferred()) {
    respond(dispatch(match, request));
    return;
  }
  fill_params(match, request);
  // The handler gets a copy; ours stays to answer 500 if it throws (a second call is ignored).
  try {
    match.route->deferred(std::move(request), respond);
    return;
  } catch (const std::exception& error) {
    spdlog::error("handler for {} {} failed: {}", match.route->method, match.route->pattern,
                  error.what());
  } catch (...) {
    spdlog::error("handler for {} {} failed with a non-standard exception", match.route->method,
                  match.route->pattern);
  }
  respond(internal_error());
}

HttpResponse Router::handle(HttpRequest& request) const {
  return dispatch(match(request.method, request.path), request);
}

}  // namespace okr::bot::http
