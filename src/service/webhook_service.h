// WebhookService: the Backend API's side of webhooks, an orgd extension (Clerk keeps endpoints in
// its dashboard): endpoints, the messages sent to them, repairs (retry one, recover since a time),
// and the ordered event feed that lets an app catch up without webhooks at all. Delivery itself is
// service/webhook_delivery.h.
//
// An endpoint's URL is http(s). Unless --webhook-allow-private, a URL whose host is a loopback,
// private or otherwise non-public address literal, or localhost, is refused here; a name that
// resolves to such an address is refused when delivering (jobs/webhook_sender.h).
//
// Thread safety: every method may be called from any thread; callbacks follow service/callback.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/ids.h"
#include "domain/webhook.h"
#include "service/callback.h"
#include "service/request_context.h"
#include "store/database.h"
#include "store/outbox_store.h"

namespace orgd::service {

// The event types an endpoint may subscribe to (BEHAVIOR.md §6.1, in orgd's scope).
const std::vector<std::string>& WebhookEventTypes();

struct WebhookEndpointCommand {
  std::optional<std::string> url;  // required on create
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> events;  // empty: every event
  std::optional<bool> disabled;
};

// An endpoint with its secret shown only right after create and rotate.
struct WebhookEndpointView {
  domain::WebhookEndpoint endpoint;
  bool show_secret = false;
};

struct WebhookMessageView {
  domain::WebhookMessage message;
  std::string event_id;
  std::string event_type;
};

struct EventFeedPage {
  std::vector<store::OutboxEntry> events;
  int64_t next_cursor = 0;
};

struct WebhookOptions {
  bool allow_private = false;
  std::string instance_id;
};

class WebhookService {
 public:
  // REQUIRES: every argument outlives the service.
  WebhookService(store::Database& db, const Clock& clock, IdGenerator& ids, WebhookOptions options);

  // Errors: 422 form_param_missing (url), form_param_format_invalid (url: not http(s), or not a
  // public host), form_param_value_invalid (events: an unknown type).
  void CreateEndpoint(const RequestContext& ctx, WebhookEndpointCommand cmd,
                      Callback<WebhookEndpointView> done);
  void ListEndpoints(const RequestContext& ctx, Callback<std::vector<WebhookEndpointView>> done);
  void GetEndpoint(const RequestContext& ctx, std::string id, Callback<WebhookEndpointView> done);
  // Re-enabling (disabled: false) also forgets the failures that disabled it.
  void UpdateEndpoint(const RequestContext& ctx, std::string id, WebhookEndpointCommand cmd,
                      Callback<WebhookEndpointView> done);
  // Deletes the endpoint and its messages. Returns its id.
  void DeleteEndpoint(const RequestContext& ctx, std::string id, Callback<std::string> done);
  // A new secret, shown once; the previous one keeps signing for 24 hours.
  void RotateSecret(const RequestContext& ctx, std::string id, Callback<WebhookEndpointView> done);

  void ListMessages(const RequestContext& ctx, store::WebhookMessageQuery query,
                    Callback<store::Page<WebhookMessageView>> done);
  // Sends the message again now (attempts start over), whatever its status.
  void RetryMessage(const RequestContext& ctx, std::string endpoint_id, std::string message_id,
                    Callback<WebhookMessageView> done);
  // Queues again every event since `since` (ms) that the endpoint wants: its messages become
  // pending, and events it has no message for (it did not exist, or was disabled) get one.
  // Returns how many messages were queued.
  void Recover(const RequestContext& ctx, std::string endpoint_id, int64_t since,
               Callback<int64_t> done);

  // The event feed: dispatched events after `cursor`, in feed order.
  void ListEvents(const RequestContext& ctx, int64_t cursor, int64_t limit,
                  Callback<EventFeedPage> done);

  // Creates or updates the endpoint of --webhook-endpoint (id whe_static). Blocking (start-up).
  Result<void> EnsureStaticEndpoint(const std::string& url, const std::string& secret);

  const WebhookOptions& options() const { return options_; }

 private:
  Result<void> CheckUrl(const std::string& url) const;

  store::Database& db_;
  const Clock& clock_;
  IdGenerator& ids_;
  const WebhookOptions options_;
};

// A new signing secret: whsec_ and 24 random bytes in base64.
std::string NewWebhookSecret();
// True for whsec_<base64 of at least 16 bytes>.
bool IsWebhookSecret(std::string_view secret);

}  // namespace orgd::service
