#pragma once
// The metrics of the HTTP service, defined in one place so names and labels stay consistent.
#include <string_view>

#include "bot/metrics/registry.hpp"

namespace okr::bot::metrics {

inline constexpr std::string_view kHttpRequestsTotal = "okr_coach_http_requests_total";
inline constexpr std::string_view kHttpRequestDuration = "okr_coach_http_request_duration_seconds";
inline constexpr std::string_view kBuildInfo = "okr_coach_build_info";

// Defines the HTTP counter and histogram and sets okr_coach_build_info{version} to 1.
void define_http_metrics(Registry& registry, std::string_view version);

// `route` is the route pattern (or "unmatched"), never the raw path: label cardinality stays
// bounded however many distinct URLs clients try.
void record_http_request(Registry& registry, std::string_view route, int status, double seconds);

}  // namespace okr::bot::metrics
