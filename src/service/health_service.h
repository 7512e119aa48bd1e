// HealthService: whether the store answers, for GET /readyz.
//
// Thread safety: every method may be called from any thread; callbacks follow service/callback.h.
#pragma once

#include "service/callback.h"
#include "service/request_context.h"
#include "store/database.h"

namespace orgd::service {

class HealthService {
 public:
  // REQUIRES: `db` outlives the service.
  explicit HealthService(store::Database& db) : db_(db) {}

  // Succeeds when a trivial query runs; kUnavailable otherwise. Public: any caller.
  void CheckDatabase(const RequestContext& ctx, Callback<void> done);

 private:
  store::Database& db_;
};

}  // namespace orgd::service
