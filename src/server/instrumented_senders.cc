#include "server/instrumented_senders.h"

#include <chrono>

namespace orgd::server {
namespace {

constexpr std::string_view kEmails = "Emails handed to the SMTP server, by outcome.";
constexpr std::string_view kWebhooks = "Webhook POSTs to endpoints, by outcome.";

}  // namespace

CountingEmailSender::CountingEmailSender(service::EmailSender& inner, metrics::Registry& registry)
    : inner_(inner),
      sent_(registry.GetCounter("orgd_email_deliveries_total", kEmails, {{"outcome", "sent"}})),
      deferred_(
          registry.GetCounter("orgd_email_deliveries_total", kEmails, {{"outcome", "deferred"}})),
      failed_(
          registry.GetCounter("orgd_email_deliveries_total", kEmails, {{"outcome", "failed"}})) {}

Result<void> CountingEmailSender::Send(const service::EmailMessage& message) {
  Result<void> r = inner_.Send(message);
  if (r) {
    sent_.Add();
  } else if (r.error().code == ErrorCode::kUnavailable) {
    deferred_.Add();
  } else {
    failed_.Add();
  }
  return r;
}

CountingWebhookSender::CountingWebhookSender(service::WebhookSender& inner,
                                             metrics::Registry& registry)
    : inner_(inner),
      delivered_(registry.GetCounter("orgd_webhook_deliveries_total", kWebhooks,
                                     {{"outcome", "delivered"}})),
      rejected_(registry.GetCounter("orgd_webhook_deliveries_total", kWebhooks,
                                    {{"outcome", "rejected"}})),
      unreachable_(registry.GetCounter("orgd_webhook_deliveries_total", kWebhooks,
                                       {{"outcome", "unreachable"}})),
      duration_(registry.GetHistogram("orgd_webhook_delivery_duration_seconds",
                                      "One webhook POST, from connecting to the answer.",
                                      metrics::kLatencyBuckets)) {}

service::WebhookResponse CountingWebhookSender::Post(const service::WebhookRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  service::WebhookResponse response = inner_.Post(request);
  duration_.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (response.status == 0) {
    unreachable_.Add();
  } else if (response.status >= 200 && response.status < 300) {
    delivered_.Add();
  } else {
    rejected_.Add();
  }
  return response;
}

}  // namespace orgd::server
