// The email and webhook senders as the metrics see them: each wraps the real sender and counts
// what became of every attempt, without changing it.
//
//   orgd_email_deliveries_total{outcome}    sent | deferred (kUnavailable: the job retries) |
//                                           failed (refused for good)
//   orgd_webhook_deliveries_total{outcome}  delivered (2xx) | rejected (another status) |
//                                           unreachable (no HTTP answer)
//   orgd_webhook_delivery_duration_seconds  one POST, answer or not
//
// Thread safety: as the wrapped sender; the counters are atomic.
#pragma once

#include "common/metrics.h"
#include "service/email.h"
#include "service/webhook_delivery.h"

namespace orgd::server {

class CountingEmailSender final : public service::EmailSender {
 public:
  // REQUIRES: `inner` and `registry` outlive this.
  CountingEmailSender(service::EmailSender& inner, metrics::Registry& registry);
  Result<void> Send(const service::EmailMessage& message) override;

 private:
  service::EmailSender& inner_;
  metrics::Counter& sent_;
  metrics::Counter& deferred_;
  metrics::Counter& failed_;
};

class CountingWebhookSender final : public service::WebhookSender {
 public:
  // REQUIRES: `inner` and `registry` outlive this.
  CountingWebhookSender(service::WebhookSender& inner, metrics::Registry& registry);
  service::WebhookResponse Post(const service::WebhookRequest& request) override;

 private:
  service::WebhookSender& inner_;
  metrics::Counter& delivered_;
  metrics::Counter& rejected_;
  metrics::Counter& unreachable_;
  metrics::Histogram& duration_;
};

}  // namespace orgd::server
