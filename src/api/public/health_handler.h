// Liveness and readiness, without authentication:
//   GET /healthz  200 while the process serves HTTP
//   GET /readyz   200 when the node can do its work: the store answers, a signing key is
//                 current, and no event has waited for dispatch longer than max_outbox_age;
//                 503 otherwise. Either way the body says what was checked:
//                 {"status":"ready"|"not_ready","checks":{"store":"ok"|<error>,
//                  "signing_key":"ok"|"missing","outbox":{"status":"ok"|"stalled","backlog":N,
//                  "oldest_age_seconds":S},"jobs":{"backlog":N,"oldest_age_seconds":S}}}
#pragma once

#include <cstdint>

#include "http/request.h"
#include "service/health_service.h"
#include "service/request_context.h"

namespace orgd::api {

class HealthHandler {
 public:
  // REQUIRES: `health` outlives the handler. `max_outbox_age_ms`: 0 leaves the outbox out.
  HealthHandler(service::HealthService& health, int64_t max_outbox_age_ms)
      : health_(health), max_outbox_age_ms_(max_outbox_age_ms) {}

  void Live(const service::RequestContext& ctx, const http::Request& request,
            http::Responder respond);
  void Ready(const service::RequestContext& ctx, const http::Request& request,
             http::Responder respond);

 private:
  service::HealthService& health_;
  const int64_t max_outbox_age_ms_;
};

}  // namespace orgd::api
