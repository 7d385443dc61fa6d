#include "bot/metrics/http_metrics.hpp"

#include <string>

namespace okr::bot::metrics {

void define_http_metrics(Registry& registry, std::string_view version) {
  registry.define_counter(std::string(kHttpRequestsTotal),
                          "HTTP requests answered, by route pattern and status code.");
  registry.define_histogram(std::string(kHttpRequestDuration),
                            "Time from the start of a request to its answer being ready to "
                            "send, by route pattern.",
                            default_duration_buckets());
  registry.define_gauge(std::string(kBuildInfo), "Build of the running okr-coach; always 1.");
  registry.set(kBuildInfo, {{"version", std::string(version)}}, 1);
}

void record_http_request(Registry& registry, std::string_view route, int status, double seconds) {
  registry.increment(kHttpRequestsTotal,
                     {{"route", std::string(route)}, {"status", std::to_string(status)}});
  registry.observe(kHttpRequestDuration, {{"route", std::string(route)}}, seconds);
}

}  // namespace okr::bot::metrics
