#include "service/audit_service.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "service/authorization.h"
#include "service/transaction.h"

namespace orgd::service {

void AuditService::List(const RequestContext& ctx, store::AuditQuery query,
                        Callback<AuditPage> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kReadAuditLog); !r) {
    return done(r.error());
  }
  Read<AuditPage>(
      db_,
      [query = std::move(query)](store::ReadTransaction& tx) -> Result<AuditPage> {
        // One more than asked tells whether another page follows.
        store::AuditQuery probe = query;
        probe.limit = query.limit + 1;
        auto entries = tx.audit().List(probe);
        if (!entries) return entries.error();
        AuditPage page;
        if (static_cast<int64_t>(entries->size()) > query.limit) {
          entries->resize(query.limit);
          page.next_cursor = entries->back().seq;
        }
        page.data = std::move(*entries);
        return page;
      },
      std::move(done));
}

JobRunner::Handler PurgeAuditLog(const Clock& clock, std::chrono::milliseconds retention,
                                 int64_t batch) {
  return
      [&clock, retention, batch](store::WriteTransaction& tx, const store::Job&) -> Result<void> {
        auto purged = tx.audit().PurgeBefore(clock.NowMillis() - retention.count(), batch);
        if (!purged) return purged.error();
        if (*purged > 0) {
          spdlog::info("purged {} audit log entr{}", *purged, *purged == 1 ? "y" : "ies");
        }
        return {};
      };
}

}  // namespace orgd::service
