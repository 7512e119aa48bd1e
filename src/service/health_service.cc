#include "service/health_service.h"

#include <memory>

namespace orgd::service {

void HealthService::Check(const RequestContext&, std::function<void(Readiness)> done) {
  auto readiness = std::make_shared<Readiness>();
  readiness->checked_at = clock_.NowMillis();
  db_.Read(
      [readiness](store::ReadTransaction& tx) -> Result<void> {
        if (auto r = tx.Ping(); !r) return r;
        auto key = tx.signing_keys().Current();
        if (!key) return key.error();
        readiness->signing_key = key->has_value();
        auto jobs = tx.jobs().DueBacklog(readiness->checked_at);
        if (!jobs) return jobs.error();
        readiness->jobs = *jobs;
        auto outbox = tx.outbox().UndispatchedBacklog();
        if (!outbox) return outbox.error();
        readiness->outbox = *outbox;
        return {};
      },
      [readiness, done = std::move(done)](Result<void> r) {
        if (!r) readiness->store_error = r.error();
        done(std::move(*readiness));
      });
}

}  // namespace orgd::service
