#include "api/public/health_handler.h"

#include "api/reply.h"

namespace orgd::api {

void HealthHandler::Live(const service::RequestContext&, const http::Request&,
                         http::Responder respond) {
  respond.Send(JsonResponse(boost::json::object{{"status", "ok"}}));
}

void HealthHandler::Ready(const service::RequestContext& ctx, const http::Request& request,
                          http::Responder respond) {
  health_.CheckDatabase(ctx, [respond, id = request.request_id](Result<void> r) {
    if (r) return respond.Send(JsonResponse(boost::json::object{{"status", "ready"}}));
    respond.Send(ErrorResponse(r.error(), id));
  });
}

}  // namespace orgd::api
