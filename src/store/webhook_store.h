// Webhook endpoints and messages in a store transaction (implementation: store/sql). Failures are
// typed (store/store_errors.h).
//
// Thread safety: a WebhookReader/Writer belongs to one transaction and is used by one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/webhook.h"
#include "store/page.h"

namespace orgd::store {

struct WebhookMessageQuery {
  std::string endpoint_id;
  std::optional<std::string> status;
  int64_t limit = 10;
  int64_t offset = 0;
};

class WebhookReader {
 public:
  virtual ~WebhookReader() = default;
  // kNotFound ("webhook endpoint").
  virtual Result<domain::WebhookEndpoint> GetEndpoint(std::string_view id) = 0;
  // Every endpoint, oldest first.
  virtual Result<std::vector<domain::WebhookEndpoint>> ListEndpoints() = 0;
  // kNotFound ("webhook message").
  virtual Result<domain::WebhookMessage> GetMessage(std::string_view id) = 0;
  // Whether some message may be sent at `now` (the workers' cheap look before they claim).
  virtual Result<bool> HasDue(int64_t now) = 0;
  // One endpoint's messages, newest event first, and how many match.
  virtual Result<Page<domain::WebhookMessage>> ListMessages(const WebhookMessageQuery& query) = 0;
};

class WebhookWriter : public WebhookReader {
 public:
  virtual Result<void> InsertEndpoint(const domain::WebhookEndpoint& endpoint) = 0;
  // Overwrites every field but id and created_at. kNotFound.
  virtual Result<void> UpdateEndpoint(const domain::WebhookEndpoint& endpoint) = 0;
  // Deletes it and its messages. kNotFound.
  virtual Result<void> DeleteEndpoint(std::string_view id) = 0;

  // Queues `message` unless the endpoint already has one for the event (then: false).
  virtual Result<bool> InsertMessage(const domain::WebhookMessage& message) = 0;
  // Leases to `owner` until `lease_until` up to `limit` pending messages that are due at `now`,
  // not leased (or whose lease expired), and the oldest pending one of their endpoint and stream,
  // on endpoints that are not disabled, oldest due first. Concurrent claims never return a
  // message twice.
  virtual Result<std::vector<domain::WebhookMessage>> Claim(std::string_view owner, int64_t now,
                                                            int64_t lease_until,
                                                            int64_t limit) = 0;
  // Writes an attempt's outcome (status, attempts, next_attempt_at, last_*, delivered_at,
  // updated_at) and frees the lease; a message that is no longer pending passes its stream on
  // to the next one. kLeaseLost when `owner` no longer holds it.
  virtual Result<void> FinishAttempt(const domain::WebhookMessage& message,
                                     std::string_view owner) = 0;
  // Queues `message`, or makes the endpoint's message for that event pending again (attempts
  // reset, due at message.next_attempt_at; its id is kept).
  virtual Result<void> QueueAgain(const domain::WebhookMessage& message) = 0;
  // Frees every lease (a single-process store at start-up: the process that held them is gone).
  virtual Result<void> ReleaseLeases() = 0;
  // Makes a message pending again, due at `now`, attempts reset. kNotFound.
  virtual Result<void> Requeue(std::string_view id, int64_t now) = 0;
};

}  // namespace orgd::store
