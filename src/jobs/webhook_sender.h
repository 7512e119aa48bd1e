// CurlWebhookSender: service::WebhookSender over libcurl. One POST per call, bounded by a
// timeout (15 s by default), no redirects followed, http and https only.
//
// Unless allow_private, the connection is refused when the address it is about to connect to is
// not public (common/ip_address.h), checked on the socket libcurl opens, so a name that resolves
// (or rebinds) to 127.0.0.1 or 169.254.169.254 reaches nothing.
//
// Connections are kept open between deliveries (one libcurl handle per calling thread).
//
// Thread safety: Post() may be called from several threads at once (each thread has its own
// handle).
#pragma once

#include "service/webhook_delivery.h"

namespace orgd::jobs {

struct WebhookSenderOptions {
  long timeout_ms = 15'000;
  long connect_timeout_ms = 5'000;
  bool allow_private = false;  // --webhook-allow-private
};

// Connects to `url` as a delivery would (resolving its host, the same address check, the TLS
// handshake for https) and closes again, for `orgd doctor`. kUnavailable with a sentence for
// people ("does not resolve", "is not a public address", libcurl's reason) when it cannot.
Result<void> ProbeWebhookEndpoint(const std::string& url, const WebhookSenderOptions& options);

class CurlWebhookSender final : public service::WebhookSender {
 public:
  explicit CurlWebhookSender(WebhookSenderOptions options);
  service::WebhookResponse Post(const service::WebhookRequest& request) override;

 private:
  WebhookSenderOptions options_;
};

}  // namespace orgd::jobs
