#include "service/transaction.h"

#include <fmt/format.h>

#include "common/random.h"
#include "domain/errors.h"

namespace orgd::service {
namespace {

std::atomic<WriteHook> write_hook{nullptr};

std::string_view CallerKindName(Caller::Kind kind) {
  switch (kind) {
    case Caller::Kind::kSecretKey:
      return "secret_key";
    case Caller::Kind::kSession:
      return "session";
    case Caller::Kind::kAnonymous:
      return "anonymous";
    case Caller::Kind::kSystem:
      break;
  }
  return "system";
}

}  // namespace

Error ServiceError(Error e) {
  switch (e.store_reason) {
    case StoreReason::kNone:
      return e;
    case StoreReason::kNotFound: {
      Error mapped = errors::NotFound(e.constraint);
      mapped.detail = std::move(e.detail);
      return mapped;
    }
    default:
      return errors::Internal(fmt::format("a store outcome no service mapped: reason {}, {} {}",
                                          static_cast<int>(e.store_reason), e.constraint,
                                          e.detail));
  }
}

WriteOrigin WriteOrigin::From(const RequestContext& ctx) {
  return WriteOrigin{ctx.caller.kind, ctx.caller.id, std::string(ctx.request_id),
                     std::string(ctx.remote_ip), std::string(ctx.user_agent)};
}

Result<void> Effects::AppendTo(store::WriteTransaction& tx) const {
  for (const Effect& effect : pending_) {
    store::OutboxEntry entry;
    entry.id = "evt_" + RandomBase62(27);
    entry.type = effect.type;
    entry.organization_id = effect.organization_id;
    entry.object_id = effect.object_id;
    entry.payload = effect.payload;
    entry.caller_kind = std::string(CallerKindName(origin_.caller_kind));
    entry.caller_id = origin_.caller_id;
    entry.request_id = origin_.request_id;
    entry.remote_ip = origin_.remote_ip;
    entry.user_agent = origin_.user_agent;
    entry.created_at = effect.created_at;
    if (auto r = tx.outbox().Append(entry); !r) return r;
  }
  return {};
}

void SetWriteHookForTest(WriteHook hook) { write_hook.store(hook); }
WriteHook CurrentWriteHookForTest() { return write_hook.load(std::memory_order_relaxed); }

}  // namespace orgd::service
