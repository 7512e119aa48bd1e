// HealthService: what /readyz and the metrics report of the process's dependencies: whether the
// store answers, whether a signing key is current (session tokens can be signed), and the
// backlogs of the two queues in the store (due background jobs; outbox entries the webhook
// dispatcher has not given a feed position yet) with the age of their oldest entry.
//
// Thread safety: every method may be called from any thread; callbacks follow service/callback.h.
#pragma once

#include <optional>

#include "common/clock.h"
#include "service/callback.h"
#include "service/request_context.h"
#include "store/database.h"

namespace orgd::service {

struct Readiness {
  // The store's error when it did not answer; then nothing below is known.
  std::optional<Error> store_error;
  bool signing_key = false;  // a current signing key exists
  store::Backlog jobs;       // due and unfinished; `oldest` is the earliest run_at
  store::Backlog outbox;     // not dispatched; `oldest` is the earliest created_at
  int64_t checked_at = 0;    // ms

  // How long the oldest entry has waited, in ms (0 when there is none).
  static int64_t Age(const store::Backlog& b, int64_t now) {
    return b.oldest && *b.oldest < now ? now - *b.oldest : 0;
  }
  // Ready: the store answers, a key is current and no event has waited longer than
  // `max_outbox_age_ms` for dispatch (0: the outbox is not checked).
  bool Ready(int64_t max_outbox_age_ms) const {
    return !store_error && signing_key &&
           (max_outbox_age_ms <= 0 || Age(outbox, checked_at) <= max_outbox_age_ms);
  }
};

class HealthService {
 public:
  // REQUIRES: `db` and `clock` outlive the service.
  HealthService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Reads everything Readiness holds in one read transaction. Never fails: a store that does not
  // answer is Readiness::store_error. Public: any caller.
  void Check(const RequestContext& ctx, std::function<void(Readiness)> done);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace orgd::service
