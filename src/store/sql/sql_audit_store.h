// The audit log over sql::Connection, for both drivers (store/audit_store.h).
#pragma once

#include "store/audit_store.h"
#include "store/sql/connection.h"

namespace orgd::store::sql {

class SqlAuditStore final : public AuditWriter {
 public:
  // REQUIRES: `conn` outlives the store.
  explicit SqlAuditStore(Connection& conn) : conn_(conn) {}
  Result<std::vector<AuditEntry>> List(const AuditQuery& query) override;
  Result<void> Append(const AuditEntry& entry) override;
  Result<int64_t> PurgeBefore(int64_t cutoff, int64_t limit) override;

 private:
  Connection& conn_;
};

}  // namespace orgd::store::sql
