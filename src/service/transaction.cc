#include "service/transaction.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/json_redact.h"
#include "common/random.h"
#include "common/utf8.h"
#include "domain/errors.h"

namespace orgd::service {
namespace {

std::atomic<WriteHook> write_hook{nullptr};
std::atomic<EffectsListener*> effects_listener{nullptr};

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
  // The User-Agent is the client's bytes (Beast passes obs-text through): made UTF-8 here, or
  // PostgreSQL refuses the outbox row, and with it the whole write (a 500), while SQLite would
  // store bytes that no webhook payload can carry as JSON.
  return WriteOrigin{ctx.caller.kind, ctx.caller.id, std::string(ctx.request_id),
                     std::string(ctx.remote_ip), ToValidUtf8(ctx.user_agent)};
}

std::string EventStream(const Effect& effect) {
  if (effect.organization_id) return *effect.organization_id;
  if (effect.type.starts_with("role.") || effect.type.starts_with("permission.")) return "roles";
  return effect.object_id.value_or("instance");
}

std::string AuditResourceType(std::string_view event_type) {
  std::string out;
  for (char c : event_type.substr(0, event_type.find('.'))) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back('_');
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<void> Effects::AppendAudit(store::WriteTransaction& tx) const {
  auto append = [&](std::string action, std::string resource_type, std::string resource_id,
                    const std::optional<std::string>& organization_id,
                    const std::optional<std::string>& before,
                    const std::optional<std::string>& after, int64_t created_at) {
    store::AuditEntry entry;
    entry.id = "aud_" + RandomBase62(27);
    entry.action = std::move(action);
    entry.resource_type = std::move(resource_type);
    entry.resource_id = std::move(resource_id);
    entry.organization_id = organization_id;
    entry.actor_kind = std::string(CallerKindName(origin_.caller_kind));
    entry.actor_id = origin_.caller_id;
    entry.request_id = origin_.request_id;
    entry.remote_ip = origin_.remote_ip;
    entry.user_agent = origin_.user_agent;
    if (before) entry.before = RedactPrivateMetadata(*before);
    if (after) entry.after = RedactPrivateMetadata(*after);
    entry.created_at = created_at;
    return tx.audit().Append(entry);
  };
  for (const Effect& effect : pending_) {
    const bool deleted = effect.type.ends_with(".deleted");
    // A deletion's payload says what is gone; the object as it was is the better "before".
    std::optional<std::string> before = effect.before;
    if (deleted && !before) before = effect.payload;
    std::optional<std::string> after;
    if (!deleted) after = effect.payload;
    if (auto r = append(effect.type, AuditResourceType(effect.type), effect.object_id.value_or(""),
                        effect.organization_id, before, after, effect.created_at);
        !r) {
      return r;
    }
  }
  for (const AuditRecord& record : audit_) {
    if (auto r = append(record.action, record.resource_type, record.resource_id,
                        record.organization_id, record.before, record.after, record.created_at);
        !r) {
      return r;
    }
  }
  return {};
}

Result<void> Effects::AppendTo(store::WriteTransaction& tx) const {
  if (auto r = AppendAudit(tx); !r) return r;
  if (pending_.empty()) return {};
  // Take each stream's row before appending to it: writes to one stream follow one another, so
  // their seqs are in commit order (migrations/sqlite/0009_webhooks.sql).
  std::vector<std::string> streams;
  for (const Effect& effect : pending_) {
    std::string stream = EventStream(effect);
    if (std::find(streams.begin(), streams.end(), stream) == streams.end()) {
      streams.push_back(std::move(stream));
    }
  }
  std::sort(streams.begin(), streams.end());  // one lock order for every write: no deadlocks
  for (const auto& stream : streams) {
    if (auto r = tx.outbox().LockStream(stream); !r) return r;
  }
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
    entry.stream = EventStream(effect);
    if (auto r = tx.outbox().Append(entry); !r) return r;
  }
  return {};
}

void SetEffectsListener(EffectsListener* listener) { effects_listener.store(listener); }

void NotifyEffectsCommitted() {
  if (EffectsListener* listener = effects_listener.load(std::memory_order_acquire)) {
    listener->EffectsCommitted();
  }
}

void SetWriteHookForTest(WriteHook hook) { write_hook.store(hook); }
WriteHook CurrentWriteHookForTest() { return write_hook.load(std::memory_order_relaxed); }

}  // namespace orgd::service
