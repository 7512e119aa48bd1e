// The outbox in a store transaction: the side effects of a change (webhook events, audit
// entries), appended in the same transaction as the change itself, so they exist exactly when the
// change does. Readers (the webhook dispatcher, the audit log) consume them later, in `seq` order.
//
// Thread safety: an OutboxReader/Writer belongs to one transaction and is used by one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace orgd::store {

struct OutboxEntry {
  int64_t seq = 0;   // assigned by the store on Append, increasing
  std::string id;    // evt_…
  std::string type;  // e.g. "organization.created"
  std::optional<std::string> organization_id;
  std::optional<std::string> object_id;
  std::string payload = "{}";  // JSON text
  std::string caller_kind;     // "secret_key", "session", "system", "anonymous"
  std::string caller_id;
  std::string request_id;
  std::string remote_ip;
  std::string user_agent;
  int64_t created_at = 0;
};

class OutboxReader {
 public:
  virtual ~OutboxReader() = default;
  // The entries with seq > after_seq, oldest first, at most `limit`.
  virtual Result<std::vector<OutboxEntry>> ListAfter(int64_t after_seq, int64_t limit) = 0;
};

class OutboxWriter : public OutboxReader {
 public:
  // Appends `entry` (its seq is ignored). kUniqueViolation (constraint::kOutboxId) when the ID is
  // taken.
  virtual Result<void> Append(const OutboxEntry& entry) = 0;
};

}  // namespace orgd::store
