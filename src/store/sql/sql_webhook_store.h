// Webhook endpoints and messages over sql::Connection, for both drivers (store/webhook_store.h).
#pragma once

#include "store/sql/connection.h"
#include "store/webhook_store.h"

namespace orgd::store::sql {

class SqlWebhookStore final : public WebhookWriter {
 public:
  // REQUIRES: `conn` outlives the store.
  explicit SqlWebhookStore(Connection& conn) : conn_(conn) {}
  Result<domain::WebhookEndpoint> GetEndpoint(std::string_view id) override;
  Result<std::vector<domain::WebhookEndpoint>> ListEndpoints() override;
  Result<domain::WebhookMessage> GetMessage(std::string_view id) override;
  Result<bool> HasDue(int64_t now) override;
  Result<Page<domain::WebhookMessage>> ListMessages(const WebhookMessageQuery& query) override;
  Result<void> InsertEndpoint(const domain::WebhookEndpoint& endpoint) override;
  Result<void> UpdateEndpoint(const domain::WebhookEndpoint& endpoint) override;
  Result<void> DeleteEndpoint(std::string_view id) override;
  Result<bool> InsertMessage(const domain::WebhookMessage& message) override;
  Result<std::vector<domain::WebhookMessage>> Claim(std::string_view owner, int64_t now,
                                                    int64_t lease_until, int64_t limit) override;
  Result<void> FinishAttempt(const domain::WebhookMessage& message,
                             std::string_view owner) override;
  Result<void> QueueAgain(const domain::WebhookMessage& message) override;
  Result<void> ReleaseLeases() override;
  Result<void> Requeue(std::string_view id, int64_t now) override;

 private:
  // Makes the oldest pending message of the endpoint's stream its only head; `may_have_head`:
  // another one may be the head now (it is cleared first).
  Result<void> ElectHead(std::string_view endpoint_id, std::string_view stream,
                         bool may_have_head);
  Connection& conn_;
};

}  // namespace orgd::store::sql
