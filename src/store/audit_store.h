// The audit log in a store transaction: who changed what, when and from where, one entry per
// change, appended in the change's own transaction (service/transaction.h: Effects), so an entry
// exists exactly when its change does. Entries are never updated; they leave only when the
// retention purge removes the oldest (migrations/sqlite/0012_audit_log.sql).
//
// Thread safety: an AuditReader/Writer belongs to one transaction and is used by one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace orgd::store {

struct AuditEntry {
  int64_t seq = 0;                             // assigned by the store on Append, increasing
  std::string id;                              // aud_…
  std::string action;                          // e.g. "organization.updated", "settings.updated"
  std::string resource_type;                   // e.g. "organization", "organization_membership"
  std::string resource_id;                     // the changed object's ID
  std::optional<std::string> organization_id;  // the organization it belongs to, if any
  std::string actor_kind;                      // "secret_key", "session", "system", "anonymous"
  std::string actor_id;  // the key's ID, the session's user, or the job's name
  std::string request_id;
  std::string remote_ip;
  std::string user_agent;
  std::optional<std::string> before;  // JSON text; nullopt: the object did not exist before
  std::optional<std::string> after;   // JSON text; nullopt: the object no longer exists
  int64_t created_at = 0;             // ms
};

// What a list of entries is narrowed to: each set field must match exactly.
struct AuditQuery {
  std::optional<std::string> organization_id;
  std::optional<std::string> actor_id;
  std::optional<std::string> action;
  std::optional<std::string> resource_id;
  std::optional<std::string> resource_type;
  std::optional<int64_t> created_before;  // ms, exclusive
  std::optional<int64_t> created_after;   // ms, exclusive
  std::optional<int64_t> before_seq;      // the cursor: entries older than this one
  int64_t limit = 10;
};

class AuditReader {
 public:
  virtual ~AuditReader() = default;
  // The entries matching `query`, newest (highest seq) first, at most query.limit.
  virtual Result<std::vector<AuditEntry>> List(const AuditQuery& query) = 0;
};

class AuditWriter : public AuditReader {
 public:
  // Appends `entry` (its seq is ignored). kUniqueViolation when the ID is taken.
  virtual Result<void> Append(const AuditEntry& entry) = 0;
  // Removes at most `limit` of the entries created before `cutoff` (ms), oldest first. Returns
  // how many it removed.
  virtual Result<int64_t> PurgeBefore(int64_t cutoff, int64_t limit) = 0;
};

}  // namespace orgd::store
