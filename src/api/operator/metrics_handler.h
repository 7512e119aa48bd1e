// The operator listener's metrics (--metrics-listen; never on the public listeners):
//   GET /metrics  the Prometheus text exposition of the registry (common/metrics.h), after
//                 refreshing the gauges that come from the store: the job and outbox backlogs and
//                 their oldest entries' age, whether the store answers and a signing key is
//                 current (service/health_service.h)
#pragma once

#include "common/metrics.h"
#include "http/request.h"
#include "service/health_service.h"
#include "service/request_context.h"

namespace orgd::api {

class MetricsHandler {
 public:
  // REQUIRES: `registry` and `health` outlive the handler.
  MetricsHandler(metrics::Registry& registry, service::HealthService& health);

  void Get(const service::RequestContext& ctx, const http::Request& request,
           http::Responder respond);

 private:
  metrics::Registry& registry_;
  service::HealthService& health_;
  metrics::Gauge& store_up_;
  metrics::Gauge& signing_key_;
  metrics::Gauge& jobs_backlog_;
  metrics::Gauge& jobs_age_;
  metrics::Gauge& outbox_backlog_;
  metrics::Gauge& outbox_age_;
};

}  // namespace orgd::api
