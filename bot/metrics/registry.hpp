#pragma once
// A small thread-safe metrics registry rendered in the Prometheus text exposition format 0.0.4.
// A metric is defined once (name, help, kind) and then updated by name with label values;
// later issues define their own counters and gauges next to the HTTP ones (http_metrics.hpp).
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace okr::bot::metrics {

// Label name/value pairs; order is the order they are rendered in.
using Labels = std::vector<std::pair<std::string, std::string>>;

// The default duration buckets (seconds) of a request-latency histogram.
std::vector<double> default_duration_buckets();

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Defining the same name twice with the same kind is harmless (returns quietly); with another
  // kind, or updating a name never defined, is a bug: std::logic_error.
  void define_counter(std::string name, std::string help);
  void define_gauge(std::string name, std::string help);
  void define_histogram(std::string name, std::string help, std::vector<double> upper_bounds);

  void increment(std::string_view counter, const Labels& labels, double amount = 1.0);
  void set(std::string_view gauge, const Labels& labels, double value);
  void observe(std::string_view histogram, const Labels& labels, double value);

  // The whole registry as text exposition format 0.0.4, families in definition order and
  // series sorted by label values so the output is stable.
  std::string render() const;

  // The Content-Type of render()'s output.
  static constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Family;
  Family& family(std::string_view name, int kind);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Family>> families_;
};

// Label values escaped as the format requires (backslash, double quote, newline).
std::string escape_label_value(std::string_view value);
// A sample value: integers without a decimal point, +Inf/-Inf/NaN spelled as Prometheus does.
std::string format_value(double value);

}  // namespace okr::bot::metrics
