#include "service/webhook_service.h"

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>
#include <future>

#include "common/base64.h"
#include "common/ip_address.h"
#include "common/random.h"
#include "domain/errors.h"
#include "domain/text_rules.h"
#include "service/authorization.h"
#include "service/event_payloads.h"
#include "service/transaction.h"
#include "store/store_errors.h"

namespace orgd::service {
namespace {

using domain::WebhookEndpoint;

constexpr size_t kMaxUrl = 2048;
constexpr size_t kMaxDescription = 1024;
constexpr int64_t kPreviousSecretMs = 24LL * 60 * 60 * 1000;
constexpr int64_t kMaxRecover = 100'000;
constexpr std::string_view kStaticId = "whe_static";

Result<void> CheckEvents(const std::optional<std::vector<std::string>>& events) {
  if (!events) return {};
  const auto& known = WebhookEventTypes();
  for (const auto& type : *events) {
    if (std::find(known.begin(), known.end(), type) == known.end()) {
      return errors::ParamInvalid("events", type + " is not an event type orgd sends.");
    }
  }
  return {};
}

Result<void> CheckDescription(const std::optional<std::string>& description) {
  if (!description) return {};
  if (description->size() > kMaxDescription) {
    return errors::ParamTooLong("description", kMaxDescription);
  }
  return domain::RefuseControlCharacters(*description, "description");
}

// An endpoint as the audit log keeps it: everything but its secrets (a rotation shows only as
// the action webhook_endpoint.secret_rotated and a new updated_at).
std::string AuditSnapshot(const WebhookEndpoint& e) {
  return boost::json::serialize(domain::ToJson(e));
}

void AuditEndpoint(Effects& effects, const char* action,
                   const std::optional<WebhookEndpoint>& before,
                   const std::optional<WebhookEndpoint>& after, int64_t now) {
  const WebhookEndpoint& e = after ? *after : *before;
  effects.Audit({.action = action,
                 .resource_type = "webhook_endpoint",
                 .resource_id = e.id,
                 .organization_id = std::nullopt,
                 .before = before ? std::optional(AuditSnapshot(*before)) : std::nullopt,
                 .after = after ? std::optional(AuditSnapshot(*after)) : std::nullopt,
                 .created_at = now});
}

Result<WebhookEndpointView> Shown(WebhookEndpoint e, bool show) {
  return WebhookEndpointView{std::move(e), show};
}

}  // namespace

const std::vector<std::string>& WebhookEventTypes() {
  using namespace event_type;
  // What the services record (service/event_payloads.h).
  static const std::vector<std::string> kTypes = {
      kOrganizationCreated, kOrganizationUpdated, kOrganizationDeleted, kMembershipCreated,
      kMembershipUpdated,   kMembershipDeleted,   kInvitationCreated,   kInvitationAccepted,
      kInvitationRevoked,   kRoleCreated,         kRoleUpdated,         kRoleDeleted,
      kPermissionCreated,   kPermissionUpdated,   kPermissionDeleted,   kUserCreated,
      kUserUpdated,         kUserDeleted,         kSessionCreated,      kSessionEnded,
      kSessionRevoked,      kDomainCreated,       kDomainUpdated,       kDomainDeleted,
      kSessionRemoved};
  return kTypes;
}

std::string NewWebhookSecret() {
  std::array<uint8_t, 24> key;
  FillRandom(key);
  return "whsec_" +
         Base64Encode(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
}

bool IsWebhookSecret(std::string_view secret) {
  if (!secret.starts_with("whsec_")) return false;
  secret.remove_prefix(6);
  if (secret.size() < 24 || secret.size() % 4 != 0) return false;
  return std::all_of(secret.begin(), secret.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
  });
}

WebhookService::WebhookService(store::Database& db, const Clock& clock, IdGenerator& ids,
                               WebhookOptions options)
    : db_(db), clock_(clock), ids_(ids), options_(std::move(options)) {}

Result<void> WebhookService::CheckUrl(const std::string& url) const {
  const auto refused = [](std::string why) {
    return errors::ParamFormatInvalid("url", std::move(why));
  };
  if (url.size() > kMaxUrl) return errors::ParamTooLong("url", kMaxUrl);
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return refused("url must be an absolute http(s) URL.");
  const std::string scheme = parsed->scheme();
  if (scheme != "http" && scheme != "https") return refused("url must be an http(s) URL.");
  const std::string host = parsed->host();
  if (host.empty()) return refused("url must name a host.");
  if (options_.allow_private) return {};
  std::string lower = host;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  const bool local_name = lower == "localhost" || lower.ends_with(".localhost") ||
                          lower == "localhost." || lower.ends_with(".local");
  if (local_name || (IsAddressLiteral(host) && !IsPublicAddressLiteral(host))) {
    return refused(
        "url must be a public address: private, loopback and link-local hosts are refused "
        "(an operator may allow them with --webhook-allow-private).");
  }
  return {};
}

void WebhookService::CreateEndpoint(const RequestContext& ctx, WebhookEndpointCommand cmd,
                                    Callback<WebhookEndpointView> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageWebhooks); !r) {
    return done(r.error());
  }
  if (!cmd.url || cmd.url->empty()) return done(errors::ParamMissing("url"));
  if (auto r = CheckUrl(*cmd.url); !r) return done(r.error());
  if (auto r = CheckDescription(cmd.description); !r) return done(r.error());
  if (auto r = CheckEvents(cmd.events); !r) return done(r.error());
  WebhookEndpoint e;
  e.id = ids_.New("whe");
  e.url = *cmd.url;
  e.description = cmd.description.value_or("");
  e.event_types = cmd.events.value_or(std::vector<std::string>{});
  e.disabled = cmd.disabled.value_or(false);
  e.secret = NewWebhookSecret();
  e.created_at = e.updated_at = clock_.NowMillis();
  Write<WebhookEndpointView>(
      db_, ctx,
      [e = std::move(e)](store::WriteTransaction& tx,
                         Effects& effects) -> Result<WebhookEndpointView> {
        if (auto r = tx.webhooks().InsertEndpoint(e); !r) return r.error();
        AuditEndpoint(effects, "webhook_endpoint.created", std::nullopt, e, e.created_at);
        return Shown(e, true);
      },
      std::move(done));
}

void WebhookService::ListEndpoints(const RequestContext& ctx,
                                   Callback<std::vector<WebhookEndpointView>> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageWebhooks); !r) {
    return done(r.error());
  }
  Read<std::vector<WebhookEndpointView>>(
      db_,
      [](store::ReadTransaction& tx) -> Result<std::vector<WebhookEndpointView>> {
        auto all = tx.webhooks().ListEndpoints();
        if (!all) return all.error();
        std::vector<WebhookEndpointView> out;
        for (auto& e : *all) out.push_back({std::move(e), false});
        return out;
      },
      std::move(done));
}

void WebhookService::GetEndpoint(const RequestContext& ctx, std::string id,
                                 Callback<WebhookEndpointView> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageWebhooks); !r) {
    return done(r.error());
  }
  Read<WebhookEndpointView>(
      db_,
      [id = std::move(id)](store::ReadTransaction& tx) -> Result<WebhookEndpointView> {
        auto e = tx.webhooks().GetEndpoint(id);
        if (!e) return e.error();
        return Shown(std::move(*e), false);
      },
      std::move(done));
}

void WebhookService::UpdateEndpoint(const RequestContext& ctx, std::string id,
                                    WebhookEndpointCommand cmd,
                                    Callback<WebhookEndpointView> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageWebhooks); !r) {
    return done(r.error());
  }
  if (cmd.url) {
    if (auto r = CheckUrl(*cmd.url); !r) return done(r.error());
  }
  if (auto r = CheckDescription(cmd.description); !r) return done(r.error());
  if (auto r = CheckEvents(cmd.events); !r) return done(r.error());
  Write<WebhookEndpointView>(
      db_, ctx,
      [id = std::move(id), cmd = std::move(cmd), now = clock_.NowMillis()](
          store::WriteTransaction& tx, Effects& effects) -> Result<WebhookEndpointView> {
        auto e = tx.webhooks().GetEndpoint(id);
        if (!e) return e.error();
        const WebhookEndpoint before = *e;
        if (cmd.url) e->url = *cmd.url;
        if (cmd.description) e->description = *cmd.description;
        if (cmd.events) e->event_types = *cmd.events;
        if (cmd.disabled) {
          if (e->disabled && !*cmd.disabled) {
            e->failing_since.reset();
            e->disabled_reason.reset();
          }
          e->disabled = *cmd.disabled;
        }
        e->updated_at = now;
        if (auto r = tx.webhooks().UpdateEndpoint(*e); !r) return r.error();
        AuditEndpoint(effects, "webhook_endpoint.updated", before, *e, now);
        return Shown(std::move(*e), false);
      },
      std::move(done));
}

void WebhookService::DeleteEndpoint(const RequestContext& ctx, std::string id,
                                    Callback<std::string> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageWebhooks); !r) {
    return done(r.error());
  }
  Write<std::string>(
      db_, ctx,
      [id = std::move(id), now = clock_.NowMillis()](store::WriteTransaction& tx,
                                                     Effects& effects) -> Result<std::string> {
        auto before = tx.webhooks().GetEndpoint(id);
        if (!before) return before.error();
        if (auto r = tx.webhooks().DeleteEndpoint(id); !r) return r.error();
        AuditEndpoint(effects, "webhook_endpoint.deleted", *before, std::nullopt, now);
        return id;
      },
      std::move(done));
}

void WebhookService::RotateSecret(const RequestContext& ctx, std::string id,
                                  Callback<WebhookEndpointView> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageWebhooks); !r) {
    return done(r.error());
  }
  Write<WebhookEndpointView>(
      db_, ctx,
      [id = std::move(id), secret = NewWebhookSecret(), now = clock_.NowMillis()](
          store::WriteTransaction& tx, Effects& effects) -> Result<WebhookEndpointView> {
        auto e = tx.webhooks().GetEndpoint(id);
        if (!e) return e.error();
        const WebhookEndpoint before = *e;
        e->previous_secret = e->secret;
        e->previous_secret_expires_at = now + kPreviousSecretMs;
        e->secret = secret;
        e->updated_at = now;
        if (auto r = tx.webhooks().UpdateEndpoint(*e); !r) return r.error();
        AuditEndpoint(effects, "webhook_endpoint.secret_rotated", before, *e, now);
        return Shown(std::move(*e), true);
      },
      std::move(done));
}

void WebhookService::ListMessages(const RequestContext& ctx, store::WebhookMessageQuery query,
                                  Callback<store::Page<WebhookMessageView>> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageWebhooks); !r) {
    return done(r.error());
  }
  Read<store::Page<WebhookMessageView>>(
      db_,
      [query = std::move(query)](
          store::ReadTransaction& tx) -> Result<store::Page<WebhookMessageView>> {
        if (auto e = tx.webhooks().GetEndpoint(query.endpoint_id); !e) return e.error();
        auto page = tx.webhooks().ListMessages(query);
        if (!page) return page.error();
        store::Page<WebhookMessageView> out;
        out.total_count = page->total_count;
        for (auto& m : page->data) {
          auto event = tx.outbox().Get(m.event_seq);
          if (!event) return event.error();
          out.data.push_back({std::move(m), event->id, event->type});
        }
        return out;
      },
      std::move(done));
}

void WebhookService::RetryMessage(const RequestContext& ctx, std::string endpoint_id,
                                  std::string message_id, Callback<WebhookMessageView> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageWebhooks); !r) {
    return done(r.error());
  }
  Write<WebhookMessageView>(
      db_, ctx,
      [endpoint_id = std::move(endpoint_id), message_id = std::move(message_id),
       now = clock_.NowMillis()](store::WriteTransaction& tx,
                                 Effects&) -> Result<WebhookMessageView> {
        auto m = tx.webhooks().GetMessage(message_id);
        if (!m) return m.error();
        if (m->endpoint_id != endpoint_id) return errors::NotFound("webhook message");
        if (auto r = tx.webhooks().Requeue(message_id, now); !r) return r.error();
        auto again = tx.webhooks().GetMessage(message_id);
        if (!again) return again.error();
        auto event = tx.outbox().Get(again->event_seq);
        if (!event) return event.error();
        return WebhookMessageView{std::move(*again), event->id, event->type};
      },
      std::move(done));
}

void WebhookService::Recover(const RequestContext& ctx, std::string endpoint_id, int64_t since,
                             Callback<int64_t> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageWebhooks); !r) {
    return done(r.error());
  }
  Write<int64_t>(
      db_, ctx,
      [this, endpoint_id = std::move(endpoint_id), since, now = clock_.NowMillis()](
          store::WriteTransaction& tx, Effects&) -> Result<int64_t> {
        auto endpoint = tx.webhooks().GetEndpoint(endpoint_id);
        if (!endpoint) return endpoint.error();
        int64_t queued = 0, after = 0;
        while (queued < kMaxRecover) {
          auto events = tx.outbox().ListSince(since, after, 500);
          if (!events) return events.error();
          if (events->empty()) break;
          for (const auto& event : *events) {
            after = event.seq;
            if (!endpoint->Wants(event.type)) continue;
            domain::WebhookMessage m;
            m.id = ids_.New("msg");
            m.endpoint_id = endpoint->id;
            m.event_seq = event.seq;
            m.stream = event.stream;
            m.next_attempt_at = now;
            m.created_at = m.updated_at = now;
            // A new message, or the one it had, pending again (with its svix-id kept).
            if (auto r = tx.webhooks().QueueAgain(m); !r) return r.error();
            ++queued;
          }
        }
        return queued;
      },
      std::move(done));
}

void WebhookService::ListEvents(const RequestContext& ctx, int64_t cursor, int64_t limit,
                                Callback<EventFeedPage> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageWebhooks); !r) {
    return done(r.error());
  }
  Read<EventFeedPage>(
      db_,
      [cursor, limit](store::ReadTransaction& tx) -> Result<EventFeedPage> {
        auto events = tx.outbox().ListFeed(cursor, limit);
        if (!events) return events.error();
        EventFeedPage page;
        page.next_cursor = events->empty() ? cursor : *events->back().position;
        page.events = std::move(*events);
        return page;
      },
      std::move(done));
}

Result<void> WebhookService::EnsureStaticEndpoint(const std::string& url,
                                                  const std::string& secret) {
  if (auto r = CheckUrl(url); !r) return r.error();
  if (!IsWebhookSecret(secret)) {
    return Error(ErrorCode::kInvalidArgument, "", "", "", "",
                 "the --webhook-secret-file must hold a whsec_<base64> secret");
  }
  const int64_t now = clock_.NowMillis();
  std::promise<Result<bool>> done;
  store::WriteAsync<bool>(
      db_,
      [&url, &secret, now](store::WriteTransaction& tx) -> Result<bool> {
        auto existing = tx.webhooks().GetEndpoint(kStaticId);
        if (existing) {
          existing->url = url;
          existing->secret = secret;
          existing->is_static = true;
          existing->updated_at = now;
          if (auto r = tx.webhooks().UpdateEndpoint(*existing); !r) return r.error();
          return true;
        }
        if (existing.error().store_reason != StoreReason::kNotFound) return existing.error();
        WebhookEndpoint e;
        e.id = std::string(kStaticId);
        e.url = url;
        e.description = "--webhook-endpoint";
        e.secret = secret;
        e.is_static = true;
        e.created_at = e.updated_at = now;
        if (auto r = tx.webhooks().InsertEndpoint(e); !r) return r.error();
        return true;
      },
      [&done](Result<bool> r) { done.set_value(std::move(r)); });
  auto r = done.get_future().get();
  if (!r) return r.error();
  return {};
}

}  // namespace orgd::service
