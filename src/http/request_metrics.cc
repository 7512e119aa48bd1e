#include "http/request_metrics.h"

#include <algorithm>

namespace orgd::http {

RequestMetrics::RequestMetrics(metrics::Registry& registry, std::string api, const Router& router)
    : registry_(registry),
      api_(std::move(api)),
      router_(router),
      in_flight_(registry.GetGauge("orgd_http_requests_in_flight",
                                   "Requests whose head was read and whose answer is not written.",
                                   {{"api", api_}})),
      slots_(new std::atomic<Series*>[(router.size() + kMethods) * kStatuses]) {
  for (size_t i = 0; i < (router.size() + kMethods) * kStatuses; ++i) {
    slots_[i].store(nullptr, std::memory_order_relaxed);
  }
}

void RequestMetrics::Record(std::optional<size_t> route, Method method, int status,
                            double seconds) {
  const size_t row = route ? *route : router_.size() + static_cast<size_t>(method);
  status = std::clamp(status, 100, 599);
  Series* s =
      slots_[row * kStatuses + static_cast<size_t>(status - 100)].load(std::memory_order_acquire);
  if (s == nullptr) s = &Make(row, status, route, method);
  s->requests->Add();
  s->duration->Observe(seconds);
}

RequestMetrics::Series& RequestMetrics::Make(size_t row, int status, std::optional<size_t> route,
                                             Method method) {
  std::lock_guard lock(mu_);
  std::atomic<Series*>& slot = slots_[row * kStatuses + static_cast<size_t>(status - 100)];
  if (Series* made = slot.load(std::memory_order_acquire)) return *made;
  const metrics::Labels labels = {
      {"api", api_},
      {"method", std::string(MethodName(route ? router_.method(*route) : method))},
      {"route", route ? std::string(router_.pattern(*route)) : "unmatched"},
      {"code", std::to_string(status)}};
  Series& s = series_.emplace_back(Series{
      &registry_.GetCounter("orgd_http_requests_total", "HTTP requests answered.", labels),
      &registry_.GetHistogram("orgd_http_request_duration_seconds",
                              "Time from a request's first byte to the last byte of its answer.",
                              metrics::kLatencyBuckets, labels)});
  slot.store(&s, std::memory_order_release);
  return s;
}

}  // namespace orgd::http
