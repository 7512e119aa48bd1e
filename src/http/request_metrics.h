// RequestMetrics: the Prometheus series of one listener's requests (common/metrics.h):
//
//   orgd_http_requests_total{api,method,route,code}             counter
//   orgd_http_request_duration_seconds{api,method,route,code}   histogram, from the first byte of
//                                                               the head to the last of the answer
//   orgd_http_requests_in_flight{api}                           gauge
//
// `route` is the route's pattern (`/v1/organizations/{organization_id}`), or "unmatched" for a
// request no route took (a 404, or one refused before routing), and `method` the route's method
// (HEAD served by a GET route counts as GET); so the label sets are bounded by the route table and
// the status codes, whatever paths clients send.
//
// A request's series is found without a lock: one atomic pointer per (route, status code), made
// the first time that pair is answered (under a mutex, once).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/metrics.h"
#include "http/request.h"
#include "http/router.h"

namespace orgd::http {

class RequestMetrics {
 public:
  // REQUIRES: `registry` and `router` outlive this; every route of `router` was added.
  RequestMetrics(metrics::Registry& registry, std::string api, const Router& router);
  RequestMetrics(const RequestMetrics&) = delete;
  RequestMetrics& operator=(const RequestMetrics&) = delete;

  // Counts one answered request: `route` as Router::Match::route, nullopt when no route took it.
  void Record(std::optional<size_t> route, Method method, int status, double seconds);

  metrics::Gauge& in_flight() { return in_flight_; }

 private:
  struct Series {
    metrics::Counter* requests;
    metrics::Histogram* duration;
  };
  static constexpr size_t kStatuses = 500;  // 100 to 599
  static constexpr size_t kMethods = static_cast<size_t>(Method::kOther) + 1;

  // REQUIRES: `status` in [100, 599].
  Series& Make(size_t row, int status, std::optional<size_t> route, Method method);

  metrics::Registry& registry_;
  const std::string api_;
  const Router& router_;
  metrics::Gauge& in_flight_;
  // Rows: one per route, then one per method for the unmatched; kStatuses slots each.
  std::unique_ptr<std::atomic<Series*>[]> slots_;
  std::mutex mu_;
  std::deque<Series> series_;  // GUARDED_BY(mu_)
};

}  // namespace orgd::http
