#include "common/metrics.h"

#include <fmt/format.h>

#include <array>
#include <cassert>
#include <cmath>

namespace orgd::metrics {
namespace {

constexpr std::array<double, 14> kLatency = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  5,     10};
constexpr std::array<double, 13> kSize = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

std::string RenderLabels(const Labels& labels) {
  std::string out;
  for (const auto& [name, value] : labels) {
    if (!out.empty()) out += ',';
    out += name;
    out += "=\"";
    out += EscapeLabelValue(value);
    out += '"';
  }
  return out;
}

// A sample value: integers as integers, the rest in the shortest form that reads back the same.
void AppendValue(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else if (v == std::floor(v) && std::fabs(v) < 1e15) {
    fmt::format_to(std::back_inserter(out), "{}", static_cast<int64_t>(v));
  } else {
    fmt::format_to(std::back_inserter(out), "{}", v);
  }
}

void AppendSample(std::string& out, std::string_view name, std::string_view suffix,
                  std::string_view labels, std::string_view extra_label, double value) {
  out += name;
  out += suffix;
  if (!labels.empty() || !extra_label.empty()) {
    out += '{';
    out += labels;
    if (!labels.empty() && !extra_label.empty()) out += ',';
    out += extra_label;
    out += '}';
  }
  out += ' ';
  AppendValue(out, value);
  out += '\n';
}

// Backslash and newline escaped, and the double quote too in a label value (HELP text keeps it).
std::string Escape(std::string_view s, bool quote) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\' || (quote && c == '"')) {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

const std::span<const double> kLatencyBuckets(kLatency);
const std::span<const double> kSizeBuckets(kSize);

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds), counts_(new std::atomic<uint64_t>[bounds.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot s;
  s.cumulative.resize(bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = running;
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

std::string EscapeLabelValue(std::string_view s) { return Escape(s, true); }

Registry::Child& Registry::Find(std::string_view name, std::string_view help, Type type,
                                std::span<const double> bounds, const Labels& labels) {
  std::string rendered = RenderLabels(labels);
  Family* family = nullptr;
  for (Family& f : families_) {
    if (f.name == name) {
      family = &f;
      break;
    }
  }
  if (family == nullptr) {
    family =
        &families_.emplace_back(Family{std::string(name), std::string(help), type, bounds, {}});
  }
  assert(family->type == type);
  for (Child& c : family->children) {
    if (c.labels == rendered) return c;
  }
  Child& child = family->children.emplace_back();
  child.labels = std::move(rendered);
  return child;
}

Counter& Registry::GetCounter(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mu_);
  Child& c = Find(name, help, Type::kCounter, {}, labels);
  if (!c.counter) c.counter = std::make_unique<Counter>();
  return *c.counter;
}

Gauge& Registry::GetGauge(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mu_);
  Child& c = Find(name, help, Type::kGauge, {}, labels);
  if (!c.gauge) c.gauge = std::make_unique<Gauge>();
  return *c.gauge;
}

Histogram& Registry::GetHistogram(std::string_view name, std::string_view help,
                                  std::span<const double> bounds, const Labels& labels) {
  std::lock_guard lock(mu_);
  Child& c = Find(name, help, Type::kHistogram, bounds, labels);
  if (!c.histogram) c.histogram = std::make_unique<Histogram>(bounds);
  return *c.histogram;
}

void Registry::AddGaugeFunction(std::string_view name, std::string_view help, const Labels& labels,
                                std::function<double()> read) {
  std::lock_guard lock(mu_);
  Find(name, help, Type::kGauge, {}, labels).read = std::move(read);
}

std::string Registry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  out.reserve(16 * 1024);
  for (const Family& f : families_) {
    static constexpr std::string_view kTypeNames[] = {"counter", "gauge", "histogram"};
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", f.name,
                   Escape(f.help, false), f.name, kTypeNames[static_cast<int>(f.type)]);
    for (const Child& c : f.children) {
      switch (f.type) {
        case Type::kCounter:
          AppendSample(out, f.name, "", c.labels, "", static_cast<double>(c.counter->Value()));
          break;
        case Type::kGauge:
          AppendSample(out, f.name, "", c.labels, "", c.read ? c.read() : c.gauge->Value());
          break;
        case Type::kHistogram: {
          const Histogram::Snapshot s = c.histogram->Read();
          const auto bounds = c.histogram->bounds();
          for (size_t i = 0; i < bounds.size(); ++i) {
            std::string le = "le=\"";
            AppendValue(le, bounds[i]);
            le += '"';
            AppendSample(out, f.name, "_bucket", c.labels, le,
                         static_cast<double>(s.cumulative[i]));
          }
          AppendSample(out, f.name, "_bucket", c.labels, "le=\"+Inf\"",
                       static_cast<double>(s.cumulative.back()));
          AppendSample(out, f.name, "_sum", c.labels, "", s.sum);
          AppendSample(out, f.name, "_count", c.labels, "",
                       static_cast<double>(s.cumulative.back()));
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace orgd::metrics
