#include "api/operator/metrics_handler.h"

namespace orgd::api {

MetricsHandler::MetricsHandler(metrics::Registry& registry, service::HealthService& health)
    : registry_(registry),
      health_(health),
      store_up_(registry.GetGauge("orgd_store_up",
                                  "1 when the store answered the last scrape's query, else 0.")),
      signing_key_(registry.GetGauge("orgd_signing_key_current",
                                     "1 when a signing key is current (tokens can be signed).")),
      jobs_backlog_(registry.GetGauge("orgd_jobs_backlog", "Background jobs due and not done.")),
      jobs_age_(registry.GetGauge("orgd_jobs_oldest_age_seconds",
                                  "How long the longest-waiting due job has been due.")),
      outbox_backlog_(registry.GetGauge(
          "orgd_outbox_backlog", "Events in the outbox not yet dispatched to the event feed.")),
      outbox_age_(registry.GetGauge("orgd_outbox_oldest_age_seconds",
                                    "Age of the oldest event not yet dispatched.")) {}

void MetricsHandler::Get(const service::RequestContext& ctx, const http::Request&,
                         http::Responder respond) {
  health_.Check(ctx, [this, respond](service::Readiness r) {
    store_up_.Set(r.store_error ? 0 : 1);
    if (!r.store_error) {
      signing_key_.Set(r.signing_key ? 1 : 0);
      jobs_backlog_.Set(static_cast<double>(r.jobs.count));
      jobs_age_.Set(static_cast<double>(service::Readiness::Age(r.jobs, r.checked_at)) / 1000);
      outbox_backlog_.Set(static_cast<double>(r.outbox.count));
      outbox_age_.Set(static_cast<double>(service::Readiness::Age(r.outbox, r.checked_at)) / 1000);
    }
    respond.Build([this] {
      http::Response response;
      response.content_type = "text/plain; version=0.0.4; charset=utf-8";
      response.body = registry_.Render();
      return response;
    });
  });
}

}  // namespace orgd::api
