#include "api/public/health_handler.h"

#include "api/reply.h"

namespace orgd::api {
namespace {

boost::json::object BacklogJson(const store::Backlog& b, int64_t now) {
  return {{"backlog", b.count}, {"oldest_age_seconds", service::Readiness::Age(b, now) / 1000}};
}

}  // namespace

void HealthHandler::Live(const service::RequestContext&, const http::Request&,
                         http::Responder respond) {
  respond.Send(JsonResponse(boost::json::object{{"status", "ok"}}));
}

void HealthHandler::Ready(const service::RequestContext& ctx, const http::Request&,
                          http::Responder respond) {
  health_.Check(ctx, [respond, max_age = max_outbox_age_ms_](service::Readiness r) {
    respond.Build([r = std::move(r), max_age]() {
      const bool ready = r.Ready(max_age);
      boost::json::object checks;
      if (r.store_error) {
        // The store's own words stay in the log; the probe says only that it did not answer.
        checks["store"] = "unavailable";
      } else {
        checks["store"] = "ok";
        checks["signing_key"] = r.signing_key ? "ok" : "missing";
        boost::json::object outbox = BacklogJson(r.outbox, r.checked_at);
        const bool stalled =
            max_age > 0 && service::Readiness::Age(r.outbox, r.checked_at) > max_age;
        outbox["status"] = stalled ? "stalled" : "ok";
        checks["outbox"] = std::move(outbox);
        checks["jobs"] = BacklogJson(r.jobs, r.checked_at);
      }
      return JsonResponse(
          boost::json::object{{"status", ready ? "ready" : "not_ready"}, {"checks", checks}},
          ready ? 200 : 503);
    });
  });
}

}  // namespace orgd::api
