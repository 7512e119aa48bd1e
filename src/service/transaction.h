// How every service reaches the store. Read() and Write() wrap store::Database with the two
// things every use case needs and none should write again:
//
//  - Store outcomes become the API's errors here (ServiceError): a store answers in its own terms
//    (store/store_errors.h); a service maps the outcomes it expects (a taken slug, a member limit)
//    in its work, and whatever it did not map is mapped by default: a missing row is 404
//    resource_not_found naming the entity, any other store reason a 500 (a bug).
//  - Every write can append side effects (Effects: webhook events, audit entries) in its own
//    transaction, as rows of the outbox (store/outbox_store.h) and the audit log
//    (store/audit_store.h), after its work succeeded: a write that rolls back leaves none.
//    Services record their webhook events there (service/event_payloads.h); each event is also
//    an audit entry (its payload the object after, Effect::before the object before), and the
//    changes no webhook announces (instance settings, webhook endpoints, sign-in tokens, signing
//    keys) record an AuditRecord of their own. Not audited: bookkeeping no caller asked for (a
//    session's last activity, a key's token reach, the job queue, the audit log's own purge).
//    Private metadata reaches the audit log only as a hash
//    (common/json_redact.h). SetWriteHookForTest lets tests add effects of their own.
//
// The work may run more than once (the PostgreSQL store retries a serialization failure, each
// time on a fresh copy of the work, store/database.h): it must not change anything outside the
// transaction.
//
// Thread safety: as store::Database.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "service/callback.h"
#include "service/request_context.h"
#include "store/database.h"

namespace orgd::service {

// A store outcome that the service did not map, as the API's error (see above).
Error ServiceError(Error e);

// Who caused a write, copied from the RequestContext into the write (the context itself lives
// only while the service method runs).
struct WriteOrigin {
  Caller::Kind caller_kind = Caller::Kind::kSystem;
  std::string caller_id;
  std::string request_id;
  std::string remote_ip;
  std::string user_agent;

  static WriteOrigin From(const RequestContext& ctx);
};

// One side effect of a write.
struct Effect {
  std::string type;  // e.g. "organization.created"
  std::optional<std::string> organization_id;
  std::optional<std::string> object_id;
  std::string payload = "{}";  // JSON text
  int64_t created_at = 0;      // ms
  // For the audit log: the object as it was before the write, as JSON text in the payload's
  // shape (nullopt: not given; a *.deleted event then keeps its payload as the "before").
  std::optional<std::string> before;
};

// An audit entry for a change that records no webhook event.
struct AuditRecord {
  std::string action;         // e.g. "settings.updated", "webhook_endpoint.created"
  std::string resource_type;  // e.g. "settings", "webhook_endpoint"
  std::string resource_id;
  std::optional<std::string> organization_id;
  std::optional<std::string> before;  // JSON text; nullopt: it did not exist
  std::optional<std::string> after;   // JSON text; nullopt: it no longer exists
  int64_t created_at = 0;             // ms
};

// The audit log's name for the kind of object an event is about: the event type's prefix in
// snake case ("organizationMembership.created" -> "organization_membership").
std::string AuditResourceType(std::string_view event_type);

// What orders an effect among the others (webhooks deliver one stream in commit order): its
// organization when it has one, one stream for every role and permission event, else its object
// (a user, a session).
std::string EventStream(const Effect& effect);

// The side effects one write records; appended to the outbox in the write's transaction.
class Effects {
 public:
  explicit Effects(const WriteOrigin& origin) : origin_(origin) {}
  void Record(Effect effect) { pending_.push_back(std::move(effect)); }
  void Audit(AuditRecord record) { audit_.push_back(std::move(record)); }
  const WriteOrigin& origin() const { return origin_; }
  // True when no event was recorded (audit records alone wake no webhook dispatcher).
  bool empty() const { return pending_.empty(); }

  // Appends the events to `tx.outbox()` and one audit entry per event and per AuditRecord to
  // `tx.audit()`. Errors: the store's.
  Result<void> AppendTo(store::WriteTransaction& tx) const;

 private:
  Result<void> AppendAudit(store::WriteTransaction& tx) const;

  const WriteOrigin& origin_;
  std::vector<Effect> pending_;
  std::vector<AuditRecord> audit_;
};

// Told when a write that recorded effects has committed (the webhook dispatcher, which then
// looks at the outbox at once instead of at its next poll).
class EffectsListener {
 public:
  virtual ~EffectsListener() = default;
  virtual void EffectsCommitted() = 0;
};
// nullptr: nobody listens. REQUIRES: `listener` outlives every write that may run until it is
// replaced (the app sets it before serving and clears it after the store closed).
void SetEffectsListener(EffectsListener* listener);
void NotifyEffectsCommitted();

// A function every write calls after its work succeeded, before its effects are appended: tests
// use it to record effects for writes that record none yet. nullptr: none (the default).
using WriteHook = void (*)(Effects& effects);
void SetWriteHookForTest(WriteHook hook);
WriteHook CurrentWriteHookForTest();

namespace internal {

// `recorded` tells the completion whether the attempt that committed appended effects.
template <class T, class Work>
auto WithEffects(const RequestContext& ctx, Work work,
                 std::shared_ptr<std::atomic<bool>> recorded) {
  return [origin = WriteOrigin::From(ctx), work = std::move(work),
          recorded = std::move(recorded)](store::WriteTransaction& tx) -> Result<T> {
    Effects effects(origin);
    // One named result, returned once: the compiler builds it in place (no move of T).
    Result<T> r = work(tx, effects);
    if (r) {
      if (WriteHook hook = CurrentWriteHookForTest()) hook(effects);
      if (auto appended = effects.AppendTo(tx); !appended) r = appended.error();
      recorded->store(r && !effects.empty(), std::memory_order_relaxed);
    }
    return r;
  };
}

// A callable (not a Callback: no second std::function around the first) that maps errors.
template <class T>
auto MappingErrors(Callback<T> done, std::shared_ptr<std::atomic<bool>> recorded = nullptr) {
  return [done = std::move(done), recorded = std::move(recorded)](Result<T>&& r) {
    if (!r) return done(ServiceError(std::move(r).error()));
    if (recorded && recorded->load(std::memory_order_relaxed)) NotifyEffectsCommitted();
    done(std::move(r));
  };
}

}  // namespace internal

// Runs `work(ReadTransaction&) -> Result<T>` in one snapshot.
template <class T, class Work>
void Read(store::Database& db, Work work, Callback<T> done) {
  store::ReadAsync<T>(db, std::move(work), internal::MappingErrors<T>(std::move(done)));
}

// Runs `work(WriteTransaction&, Effects&) -> Result<T>` in one write transaction for `ctx`.
template <class T, class Work>
void Write(store::Database& db, const RequestContext& ctx, Work work, Callback<T> done) {
  auto recorded = std::make_shared<std::atomic<bool>>(false);
  store::WriteAsync<T>(db, internal::WithEffects<T>(ctx, std::move(work), recorded),
                       internal::MappingErrors<T>(std::move(done), recorded));
}

// Write() for work that contends on `key` (store::Database::WriteContended).
template <class T, class Work>
void WriteContended(store::Database& db, std::string key, const RequestContext& ctx, Work work,
                    Callback<T> done) {
  auto recorded = std::make_shared<std::atomic<bool>>(false);
  store::WriteAsync<T>(db, std::move(key), internal::WithEffects<T>(ctx, std::move(work), recorded),
                       internal::MappingErrors<T>(std::move(done), recorded));
}

}  // namespace orgd::service
