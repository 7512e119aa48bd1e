// Liveness and readiness, without authentication:
//   GET /healthz  200 while the process serves HTTP
//   GET /readyz   200 when the database answers, 503 otherwise
#pragma once

#include "http/request.h"
#include "service/health_service.h"
#include "service/request_context.h"

namespace orgd::api {

class HealthHandler {
 public:
  // REQUIRES: `health` outlives the handler.
  explicit HealthHandler(service::HealthService& health) : health_(health) {}

  void Live(const service::RequestContext& ctx, const http::Request& request,
            http::Responder respond);
  void Ready(const service::RequestContext& ctx, const http::Request& request,
             http::Responder respond);

 private:
  service::HealthService& health_;
};

}  // namespace orgd::api
