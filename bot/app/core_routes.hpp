#pragma once
// The routes every okr-coach service answers whatever else is configured: liveness,
// readiness and metrics. Later issues register their own routes next to these in serve.cpp.
#include <functional>

namespace okr::bot::http {
class Router;
}
namespace okr::bot::metrics {
class Registry;
}

namespace okr::bot::app {

// GET /healthz -> 200 {"status":"ok"} while the process runs.
// GET /readyz  -> 200 {"status":"ready"} when `ready()` says so, else 503 {"error":"not_ready"}.
// GET /metrics -> `metrics` in Prometheus text format 0.0.4.
// `ready` is called from the network threads and must be thread-safe; `metrics` must outlive
// the router.
void add_core_routes(http::Router& router, std::function<bool()> ready,
                     const metrics::Registry& metrics);

}  // namespace okr::bot::app
