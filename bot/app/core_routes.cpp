#include "bot/app/core_routes.hpp"

#include <string>
#include <utility>

#include "bot/http/router.hpp"
#include "bot/metrics/registry.hpp"

namespace okr::bot::app {

void add_core_routes(http::Router& router, std::function<bool()> ready,
                     const metrics::Registry& metrics) {
  router.add("GET", "/healthz", [](const http::HttpRequest&) {
    return http::json_response(200, R"({"status":"ok"})");
  });
  router.add("GET", "/readyz", [ready = std::move(ready)](const http::HttpRequest&) {
    if (ready()) {
      return http::json_response(200, R"({"status":"ready"})");
    }
    return http::json_error(503, "not_ready", "The database is not open and migrated yet.");
  });
  router.add("GET", "/metrics", [&metrics](const http::HttpRequest&) {
    http::HttpResponse response;
    response.content_type = std::string(metrics::Registry::content_type);
    response.body = metrics.render();
    return response;
  });
}

}  // namespace okr::bot::app
