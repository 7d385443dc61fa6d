#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "bot/metrics/http_metrics.hpp"
#include "bot/metrics/registry.hpp"

using okr::bot::metrics::Registry;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a counter renders HELP, TYPE and one line per label set", "[metrics]") {
  Registry registry;
  registry.define_counter("jobs_total", "Jobs done.");
  registry.increment("jobs_total", {{"kind", "b"}});
  registry.increment("jobs_total", {{"kind", "a"}}, 2);
  registry.increment("jobs_total", {{"kind", "a"}});
  CHECK(registry.render() ==
        "# HELP jobs_total Jobs done.\n"
        "# TYPE jobs_total counter\n"
        "jobs_total{kind=\"a\"} 3\n"
        "jobs_total{kind=\"b\"} 1\n");
}

TEST_CASE("a histogram renders cumulative buckets, +Inf, sum and count", "[metrics]") {
  Registry registry;
  registry.define_histogram("wait_seconds", "Waiting.", {0.25, 1});
  registry.observe("wait_seconds", {{"route", "/x"}}, 0.125);
  registry.observe("wait_seconds", {{"route", "/x"}}, 0.25);  // on the bound: counts in le=0.25
  registry.observe("wait_seconds", {{"route", "/x"}}, 0.5);
  registry.observe("wait_seconds", {{"route", "/x"}}, 7);
  CHECK(registry.render() ==
        "# HELP wait_seconds Waiting.\n"
        "# TYPE wait_seconds histogram\n"
        "wait_seconds_bucket{route=\"/x\",le=\"0.25\"} 2\n"
        "wait_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
        "wait_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
        "wait_seconds_sum{route=\"/x\"} 7.875\n"
        "wait_seconds_count{route=\"/x\"} 4\n");
}

TEST_CASE("label values are escaped as the exposition format requires", "[metrics]") {
  CHECK(okr::bot::metrics::escape_label_value("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
  Registry registry;
  registry.define_gauge("odd", "Odd labels.");
  registry.set("odd", {{"v", "say \"hi\""}}, 1.5);
  CHECK(contains(registry.render(), "odd{v=\"say \\\"hi\\\"\"} 1.5\n"));
}

TEST_CASE("values print without needless decimals and infinities as Prometheus spells them",
          "[metrics]") {
  using okr::bot::metrics::format_value;
  CHECK(format_value(1) == "1");
  CHECK(format_value(0.25) == "0.25");
  CHECK(format_value(1e300 * 1e300) == "+Inf");
  CHECK(format_value(-1e300 * 1e300) == "-Inf");
}

TEST_CASE("using a metric that was never defined, or as another kind, is a bug", "[metrics]") {
  Registry registry;
  registry.define_counter("c_total", "A counter.");
  CHECK_THROWS_AS(registry.increment("missing_total", {}), std::logic_error);
  CHECK_THROWS_AS(registry.set("c_total", {}, 1), std::logic_error);
  CHECK_THROWS_AS(registry.define_gauge("c_total", "now a gauge"), std::logic_error);
  CHECK_THROWS_AS(registry.increment("c_total", {}, -1), std::logic_error);
  CHECK_NOTHROW(registry.define_counter("c_total", "A counter."));
}

TEST_CASE("the HTTP metrics carry build info and count requests by route and status", "[metrics]") {
  Registry registry;
  okr::bot::metrics::define_http_metrics(registry, "1.2.3");
  okr::bot::metrics::record_http_request(registry, "/healthz", 200, 0.003);
  okr::bot::metrics::record_http_request(registry, "/healthz", 200, 0.2);
  okr::bot::metrics::record_http_request(registry, "unmatched", 404, 0.001);
  auto text = registry.render();
  CHECK(contains(text, "# TYPE okr_coach_http_requests_total counter\n"));
  CHECK(contains(text, "okr_coach_http_requests_total{route=\"/healthz\",status=\"200\"} 2\n"));
  CHECK(contains(text, "okr_coach_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n"));
  CHECK(contains(text, "# TYPE okr_coach_http_request_duration_seconds histogram\n"));
  CHECK(contains(
      text, "okr_coach_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 2\n"));
  CHECK(contains(text, "okr_coach_http_request_duration_seconds_count{route=\"/healthz\"} 2\n"));
  CHECK(contains(text, "# TYPE okr_coach_build_info gauge\n"));
  CHECK(contains(text, "okr_coach_build_info{version=\"1.2.3\"} 1\n"));
}

TEST_CASE("concurrent updates are all counted", "[metrics]") {
  Registry registry;
  registry.define_counter("hits_total", "Hits.");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&registry] {
      for (int i = 0; i < 1000; ++i) {
        registry.increment("hits_total", {{"route", "/x"}});
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(contains(registry.render(), "hits_total{route=\"/x\"} 4000\n"));
}
