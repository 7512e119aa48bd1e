// The audit log, read: who changed what, when and from where (entries are written by every write
// in its own transaction, service/transaction.h), and the retention job that removes the oldest.
//
// Thread safety: the service holds no state of its own; every method may be called from any
// thread.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "common/clock.h"
#include "service/callback.h"
#include "service/job_runner.h"
#include "service/request_context.h"
#include "store/audit_store.h"
#include "store/database.h"

namespace orgd::service {

struct AuditPage {
  std::vector<store::AuditEntry> data;
  std::optional<int64_t> next_cursor;  // the seq to pass as before_seq for the next page
};

class AuditService {
 public:
  // REQUIRES: `db` outlives the service.
  explicit AuditService(store::Database& db) : db_(db) {}

  // The entries matching `query`, newest first. Needs a trusted caller (403 otherwise).
  void List(const RequestContext& ctx, store::AuditQuery query, Callback<AuditPage> done);

 private:
  store::Database& db_;
};

// The retention job (--audit-retention): removes up to `batch` entries older than `retention`
// per run, oldest first, in the job's transaction. Queued every 10 minutes by server/app.cc, so
// a busy instance sheds up to 6 x `batch` entries an hour without one long write.
inline constexpr const char* kPurgeAuditLog = "purge_audit_log";
JobRunner::Handler PurgeAuditLog(const Clock& clock, std::chrono::milliseconds retention,
                                 int64_t batch);

}  // namespace orgd::service
