#include "bot/metrics/registry.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace okr::bot::metrics {
namespace {

enum Kind { kCounter = 0, kGauge = 1, kHistogram = 2 };

constexpr std::array<std::string_view, 3> kKindNames = {"counter", "gauge", "histogram"};

struct Series {
  double value = 0;                   // counter, gauge
  std::vector<std::uint64_t> counts;  // histogram: per bucket (not cumulative)
  double sum = 0;
  std::uint64_t count = 0;
};

std::string escape_help(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void render_labels(std::string& out, const Labels& labels, std::string_view extra_name = {},
                   std::string_view extra_value = {}) {
  if (labels.empty() && extra_name.empty()) {
    return;
  }
  out += '{';
  bool first = true;
  auto one = [&](std::string_view name, std::string_view value) {
    if (!first) {
      out += ',';
    }
    first = false;
    out += name;
    out += "=\"";
    out += escape_label_value(value);
    out += '"';
  };
  for (const auto& [name, value] : labels) {
    one(name, value);
  }
  if (!extra_name.empty()) {
    one(extra_name, extra_value);
  }
  out += '}';
}

}  // namespace

struct Registry::Family {
  std::string name;
  std::string help;
  Kind kind;
  std::vector<double> bounds;  // histogram upper bounds, ascending, without +Inf
  std::map<Labels, Series> series;
};

std::vector<double> default_duration_buckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_value(double value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  std::array<char, 64> text{};
  // Shortest form that reads back to the same double: 1 -> "1", 0.25 -> "0.25".
  auto [end, error] = std::to_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{}) {
    return "NaN";
  }
  return std::string(text.data(), end);
}

Registry::Registry() = default;
Registry::~Registry() = default;

void Registry::define_counter(std::string name, std::string help) {
  std::lock_guard lock(mutex_);
  for (const auto& f : families_) {
    if (f->name == name) {
      if (f->kind != kCounter) {
        throw std::logic_error("metric " + name + " is already defined as another kind");
      }
      return;
    }
  }
  families_.push_back(
      std::make_unique<Family>(Family{std::move(name), std::move(help), kCounter, {}, {}}));
}

void Registry::define_gauge(std::string name, std::string help) {
  std::lock_guard lock(mutex_);
  for (const auto& f : families_) {
    if (f->name == name) {
      if (f->kind != kGauge) {
        throw std::logic_error("metric " + name + " is already defined as another kind");
      }
      return;
    }
  }
  families_.push_back(
      std::make_unique<Family>(Family{std::move(name), std::move(help), kGauge, {}, {}}));
}

void Registry::define_histogram(std::string name, std::string help,
                                std::vector<double> upper_bounds) {
  std::sort(upper_bounds.begin(), upper_bounds.end());
  upper_bounds.erase(std::unique(upper_bounds.begin(), upper_bounds.end()), upper_bounds.end());
  // +Inf is always rendered; keeping it out of the list avoids a duplicate bucket.
  while (!upper_bounds.empty() && std::isinf(upper_bounds.back())) {
    upper_bounds.pop_back();
  }
  std::lock_guard lock(mutex_);
  for (const auto& f : families_) {
    if (f->name == name) {
      if (f->kind != kHistogram) {
        throw std::logic_error("metric " + name + " is already defined as another kind");
      }
      return;
    }
  }
  families_.push_back(std::make_unique<Family>(
      Family{std::move(name), std::move(help), kHistogram, std::move(upper_bounds), {}}));
}

Registry::Family& Registry::family(std::string_view name, int kind) {
  for (auto& f : families_) {
    if (f->name == name) {
      if (f->kind != kind) {
        throw std::logic_error("metric " + std::string(name) + " is a " +
                               std::string(kKindNames[f->kind]) + ", not a " +
                               std::string(kKindNames[kind]));
      }
      return *f;
    }
  }
  throw std::logic_error("metric " + std::string(name) + " was never defined");
}

void Registry::increment(std::string_view counter, const Labels& labels, double amount) {
  if (amount < 0) {
    throw std::logic_error("counter " + std::string(counter) + " cannot go down");
  }
  std::lock_guard lock(mutex_);
  family(counter, kCounter).series[labels].value += amount;
}

void Registry::set(std::string_view gauge, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  family(gauge, kGauge).series[labels].value = value;
}

void Registry::observe(std::string_view histogram, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  auto& f = family(histogram, kHistogram);
  auto& s = f.series[labels];
  if (s.counts.empty()) {
    s.counts.assign(f.bounds.size(), 0);
  }
  // Counted in the first bucket whose bound holds it; render() accumulates.
  auto bucket = std::lower_bound(f.bounds.begin(), f.bounds.end(), value);
  if (bucket != f.bounds.end()) {
    ++s.counts[static_cast<std::size_t>(bucket - f.bounds.begin())];
  }
  s.sum += value;
  ++s.count;
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& f : families_) {
    out += "# HELP " + f->name + " " + escape_help(f->help) + "\n";
    out += "# TYPE " + f->name + " " + std::string(kKindNames[f->kind]) + "\n";
    for (const auto& [labels, s] : f->series) {
      if (f->kind != kHistogram) {
        out += f->name;
        render_labels(out, labels);
        out += " " + format_value(s.value) + "\n";
        continue;
      }
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < f->bounds.size(); ++i) {
        cumulative += s.counts.empty() ? 0 : s.counts[i];
        out += f->name + "_bucket";
        render_labels(out, labels, "le", format_value(f->bounds[i]));
        out += " " + std::to_string(cumulative) + "\n";
      }
      out += f->name + "_bucket";
      render_labels(out, labels, "le", "+Inf");
      out += " " + std::to_string(s.count) + "\n";
      out += f->name + "_sum";
      render_labels(out, labels);
      out += " " + format_value(s.sum) + "\n";
      out += f->name + "_count";
      render_labels(out, labels);
      out += " " + std::to_string(s.count) + "\n";
    }
  }
  return out;
}

}  // namespace okr::bot::metrics
