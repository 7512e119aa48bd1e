// Metrics: counters, gauges and fixed-bucket histograms, and their Prometheus text exposition
// (format 0.0.4, https://prometheus.io/docs/instrumenting/exposition_formats/). Debian 12 packages
// no Prometheus client for C++; this is the small part of one that orgd needs.
//
// A Registry holds metric families (a name, its help text and type) and their children (one per
// set of label values). Registering takes the registry's mutex and is meant for set-up or for the
// first time a label set is seen; updating a child is one or two relaxed atomic operations and
// never locks, so the request path holds a child's reference (or a pointer it looked up once) and
// pays only for the atomics. Render() takes the mutex and reads every child once.
//
// Conventions (https://prometheus.io/docs/practices/naming/): names are snake_case with an
// `orgd_` prefix and base units (`_seconds`, `_bytes`), counters end in `_total`, and label sets
// are bounded (route patterns, never paths; status codes, never IDs).
//
// Thread safety: every method of Registry, Counter, Gauge and Histogram may be called from any
// thread. Children live as long as their registry.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace orgd::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

// A value that only goes up (or is reset by a restart).
class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A value that goes up and down.
class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Observations counted into fixed buckets, by upper bound (Prometheus' `le`), with their sum.
class Histogram {
 public:
  // REQUIRES: `bounds` ascending and finite; it outlives the histogram (a static array).
  explicit Histogram(std::span<const double> bounds);

  void Observe(double v);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf (the count)
    double sum = 0;
  };
  // The buckets read one by one: a concurrent Observe() may show in some and not yet in others.
  Snapshot Read() const;
  std::span<const double> bounds() const { return bounds_; }

 private:
  std::span<const double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0};
};

// Bucket bounds for the usual kinds of observation.
// Request and transaction latencies, in seconds: 0.5 ms to 10 s.
extern const std::span<const double> kLatencyBuckets;
// Sizes that double (batch sizes, queue lengths): 1 to 4096.
extern const std::span<const double> kSizeBuckets;

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The child of family `name` with `labels` (label order as given), made on first use. Asking
  // again with the same name and labels returns the same child. REQUIRES: a name is registered
  // with one type, one help text and, for histograms, one set of bounds; names and label names
  // match [a-zA-Z_][a-zA-Z0-9_]*.
  Counter& GetCounter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& GetGauge(std::string_view name, std::string_view help, const Labels& labels = {});
  Histogram& GetHistogram(std::string_view name, std::string_view help,
                          std::span<const double> bounds, const Labels& labels = {});

  // A gauge whose value is read when the registry is rendered (a queue's length, the age of its
  // oldest entry). `read` runs on the rendering thread, under the registry's mutex: it must not
  // call back into the registry, and it should be quick (a cached value, not a query).
  void AddGaugeFunction(std::string_view name, std::string_view help, const Labels& labels,
                        std::function<double()> read);

  // The text exposition of every family, in registration order.
  std::string Render() const;

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Child {
    std::string labels;  // rendered: `a="x",b="y"`, or empty
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
    std::function<double()> read;
  };
  struct Family {
    std::string name;
    std::string help;
    Type type;
    std::span<const double> bounds;
    std::deque<Child> children;
  };

  Child& Find(std::string_view name, std::string_view help, Type type,
              std::span<const double> bounds, const Labels& labels);

  mutable std::mutex mu_;
  std::deque<Family> families_;  // GUARDED_BY(mu_)
};

// `s` with the escapes a label value needs: backslash, double quote and newline.
std::string EscapeLabelValue(std::string_view s);

}  // namespace orgd::metrics
