#include "service/health_service.h"

namespace orgd::service {

void HealthService::CheckDatabase(const RequestContext&, Callback<void> done) {
  db_.Read([](store::ReadTransaction& tx) { return tx.Ping(); }, std::move(done));
}

}  // namespace orgd::service
