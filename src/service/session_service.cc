#include "service/session_service.h"

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "common/random.h"
#include "common/rsa_signer.h"
#include "domain/errors.h"
#include "service/authorization.h"
#include "service/lookups.h"
#include "service/transaction.h"
#include "store/store_errors.h"

namespace orgd::service {
namespace {

using domain::Session;

// The session-token category @clerk/backend expects in the header (BEHAVIOR.md §5.1).
constexpr std::string_view kSessionTokenCategory = "cl_B7d4PD111AAA";
// nbf is this far before iat, as Clerk's tokens have it: a verifier a little behind still
// accepts a fresh token.
constexpr int64_t kNotBeforeLeewayS = 10;
// A mint that needs the key's max_token_exp raised raises it this much past its own expiry
// (capped at 5 minutes), so at most one write per this interval and key.
constexpr int64_t kMaxExtensionSlackMs = 5 * 60 * 1000;

Result<void> ValidateSessionUserId(const std::optional<std::string>& user_id) {
  if (!user_id || user_id->empty()) return errors::ParamMissing("user_id");
  return {};
}

// Records `type` (a session event) for `view`.
void RecordSession(Effects& effects, const EventPayloads& payloads, const char* type,
                   const SessionView& view, const domain::User* user) {
  RecordEvent(effects, type, std::nullopt, view.session.id, payloads.Session(view, user), view.now);
}

}  // namespace

// What a mint read: everything the token says and the key that signs it.
struct SessionService::MintPlan {
  Session session;
  std::optional<std::string> organization_id;
  std::string slug;
  std::string role;
  std::string kid;
  int64_t max_token_exp = 0;
  std::shared_ptr<const RsaKey> key;
  int64_t now = 0;  // ms
  int64_t lifetime_s = 0;
  std::string azp;
};

Result<Session> OpenSession(store::WriteTransaction& tx, Effects& effects,
                            const EventPayloads& payloads, const SessionOptions& options,
                            IdGenerator& ids, const std::string& user_id,
                            const std::optional<std::string>& organization_id,
                            std::string_view org_param, int64_t now, std::string_view client_id) {
  auto user = tx.users().Get(user_id);
  if (!user) return user.error();
  std::optional<std::string> active;
  if (organization_id) {
    auto org = GetOrganizationById(tx, *organization_id);
    if (!org) return org.error();
    auto membership = tx.memberships().Get(org->id, user_id);
    if (!membership) {
      if (membership.error().store_reason == StoreReason::kNotFound) {
        return errors::NotAMemberInOrganization(org_param);
      }
      return membership.error();
    }
    active = org->id;
  } else {
    store::MembershipListQuery latest;
    latest.user_id = user_id;
    latest.limit = 1;
    auto page = tx.memberships().List(latest);
    if (!page) return page.error();
    if (!page->data.empty()) active = page->data.front().organization_id;
  }
  Session s;
  s.id = ids.New(id_prefix::kSession);
  s.client_id = client_id.empty() ? ids.New(id_prefix::kClient) : std::string(client_id);
  s.user_id = user_id;
  s.last_active_organization_id = std::move(active);
  s.last_active_at = now;
  s.expire_at = now + options.lifetime_ms;
  s.abandon_at =
      options.inactivity_timeout_ms > 0 ? now + options.inactivity_timeout_ms : s.expire_at;
  s.created_at = s.updated_at = now;
  if (auto r = tx.sessions().Insert(s); !r) return r.error();
  RecordSession(effects, payloads, event_type::kSessionCreated, SessionView{s, now}, &*user);
  return s;
}

SessionService::SessionService(store::Database& db, const Clock& clock, IdGenerator& ids,
                               const PermissionAuthority& authority, SigningKeys& keys,
                               Executor& signing, SessionOptions options,
                               const EventPayloads& payloads)
    : db_(db),
      clock_(clock),
      ids_(ids),
      authority_(authority),
      keys_(keys),
      signing_(signing),
      options_(std::move(options)),
      payloads_(payloads) {}

void SessionService::Create(const RequestContext& ctx, CreateSessionCommand cmd,
                            Callback<SessionView> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageSessions); !r) {
    return done(r.error());
  }
  if (auto r = ValidateSessionUserId(cmd.user_id); !r) return done(r.error());
  const int64_t now = clock_.NowMillis();
  Write<SessionView>(
      db_, ctx,
      [this, cmd = std::move(cmd), now](store::WriteTransaction& tx,
                                        Effects& effects) -> Result<SessionView> {
        auto s = OpenSession(tx, effects, payloads_, options_, ids_, *cmd.user_id,
                             cmd.active_organization_id, "active_organization_id", now);
        if (!s) return s.error();
        return SessionView{std::move(*s), now};
      },
      std::move(done));
}

void SessionService::List(const RequestContext& ctx, store::SessionListQuery query,
                          Callback<store::Page<SessionView>> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageSessions); !r) {
    return done(r.error());
  }
  query.now = clock_.NowMillis();
  Read<store::Page<SessionView>>(
      db_,
      [query = std::move(query)](store::ReadTransaction& tx) -> Result<store::Page<SessionView>> {
        auto page = tx.sessions().List(query);
        if (!page) return page.error();
        store::Page<SessionView> out;
        out.total_count = page->total_count;
        out.data.reserve(page->data.size());
        for (auto& s : page->data) out.data.push_back({std::move(s), query.now});
        return out;
      },
      std::move(done));
}

void SessionService::Get(const RequestContext& ctx, std::string session_id,
                         Callback<SessionView> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageSessions); !r) {
    return done(r.error());
  }
  Read<SessionView>(
      db_,
      [id = std::move(session_id),
       now = clock_.NowMillis()](store::ReadTransaction& tx) -> Result<SessionView> {
        auto s = tx.sessions().Get(id);
        if (!s) return s.error();
        return SessionView{std::move(*s), now};
      },
      std::move(done));
}

void SessionService::Revoke(const RequestContext& ctx, std::string session_id,
                            Callback<SessionView> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageSessions); !r) {
    return done(r.error());
  }
  Write<SessionView>(
      db_, ctx,
      [id = std::move(session_id), now = clock_.NowMillis(), &payloads = payloads_](
          store::WriteTransaction& tx, Effects& effects) -> Result<SessionView> {
        auto s = tx.sessions().Get(id);
        if (!s) return s.error();
        if (!s->IsActiveAt(now)) return errors::InvalidActionForSession("revoke", id);
        s->status = std::string(domain::kSessionRevoked);
        s->updated_at = now;
        if (auto r = tx.sessions().Update(*s); !r) return r.error();
        // An active session's user exists (deleting a user ends their sessions); null otherwise.
        auto user = tx.users().Get(s->user_id);
        if (!user && user.error().store_reason != StoreReason::kNotFound) return user.error();
        SessionView view{std::move(*s), now};
        RecordSession(effects, payloads, event_type::kSessionRevoked, view,
                      user ? &*user : nullptr);
        return view;
      },
      std::move(done));
}

void SessionService::CreateToken(const RequestContext& ctx, CreateTokenCommand cmd,
                                 Callback<std::string> done) {
  const bool own =
      ctx.caller.kind == Caller::Kind::kSession && ctx.caller.session_id == cmd.session_id;
  if (!own) {
    if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageSessions); !r) {
      return done(r.error());
    }
  }
  if (cmd.expires_in_seconds &&
      (*cmd.expires_in_seconds < kMinTokenSeconds || *cmd.expires_in_seconds > kMaxTokenSeconds)) {
    return done(errors::ParamInvalid("expires_in_seconds",
                                     "expires_in_seconds must be between 30 and 315360000."));
  }
  MintPlan seed;
  seed.now = clock_.NowMillis();
  seed.lifetime_s = cmd.expires_in_seconds.value_or(options_.token_lifetime_s);
  if (!cmd.origin.empty() &&
      std::find(options_.allowed_origins.begin(), options_.allowed_origins.end(), cmd.origin) !=
          options_.allowed_origins.end()) {
    seed.azp = cmd.origin;
  }
  store::ReadAsync<MintPlan>(
      db_,
      [this, seed, id = cmd.session_id, template_name = cmd.template_name,
       wanted_org = cmd.organization_id](store::ReadTransaction& tx) -> Result<MintPlan> {
        MintPlan plan = seed;
        auto s = tx.sessions().Get(id);
        if (!s) return s.error();
        if (template_name) return errors::JwtTemplateNotFound(*template_name);
        const std::string_view status = s->Status(plan.now);
        if (status != domain::kSessionActive) return errors::SessionNotActive(id, status);
        const std::optional<std::string> org_id = !wanted_org ? s->last_active_organization_id
                                                  : wanted_org->empty() ? std::nullopt
                                                                        : wanted_org;
        if (org_id) {
          auto membership = tx.memberships().Get(*org_id, s->user_id);
          if (!membership && membership.error().store_reason == StoreReason::kNotFound &&
              wanted_org) {
            // As the Frontend API answers for any organization the caller is no member of.
            return errors::OrganizationNotFoundOrUnauthorized();
          }
          if (membership) {
            auto org = tx.organizations().Get(*org_id);
            if (!org) return org.error();
            plan.organization_id = org->id;
            plan.slug = org->slug;
            plan.role = membership->role;
          } else if (membership.error().store_reason != StoreReason::kNotFound) {
            return membership.error();
          }
        }
        plan.session = std::move(*s);
        auto current = tx.signing_keys().Current();
        if (!current) return current.error();
        if (!*current) return errors::Internal("no signing key is current");
        plan.kid = (*current)->kid;
        plan.max_token_exp = (*current)->max_token_exp;
        auto key = keys_.Parsed(tx, plan.kid);
        if (!key) return key.error();
        plan.key = std::move(*key);
        return plan;
      },
      [this, done = std::move(done)](Result<MintPlan> planned) mutable {
        if (!planned) return done(ServiceError(std::move(planned).error()));
        const int64_t exp_ms = planned->now + planned->lifetime_s * 1000;
        if (exp_ms <= planned->max_token_exp) return Sign(std::move(*planned), std::move(done));
        // The key's recorded reach must cover this token before it exists (SigningKeys): raise
        // it, on whichever key is current by now.
        const int64_t until =
            exp_ms + std::min(options_.token_lifetime_s * 1000, kMaxExtensionSlackMs);
        RequestContext system = RequestContext::ForSystem("extend signing key");
        Write<std::pair<std::string, std::shared_ptr<const RsaKey>>>(
            db_, system,
            [this, until](store::WriteTransaction& tx, Effects&)
                -> Result<std::pair<std::string, std::shared_ptr<const RsaKey>>> {
              auto current = tx.signing_keys().Current();
              if (!current) return current.error();
              if (!*current) return errors::Internal("no signing key is current");
              if (auto r = tx.signing_keys().Extend((*current)->kid, until); !r) return r.error();
              auto key = keys_.Parsed(tx, (*current)->kid);
              if (!key) return key.error();
              return std::make_pair((*current)->kid, std::move(*key));
            },
            [this, plan = std::move(*planned), done = std::move(done)](
                Result<std::pair<std::string, std::shared_ptr<const RsaKey>>> extended) mutable {
              if (!extended) return done(extended.error());
              plan.kid = std::move(extended->first);
              plan.key = std::move(extended->second);
              Sign(std::move(plan), std::move(done));
            });
      });
}

void SessionService::SignPayload(std::string payload_json, Callback<std::string> done) {
  using Keyed = std::pair<std::string, std::shared_ptr<const RsaKey>>;
  store::ReadAsync<Keyed>(
      db_,
      [this](store::ReadTransaction& tx) -> Result<Keyed> {
        auto current = tx.signing_keys().Current();
        if (!current) return current.error();
        if (!*current) return errors::Internal("no signing key is current");
        auto key = keys_.Parsed(tx, (*current)->kid);
        if (!key) return key.error();
        return Keyed{(*current)->kid, std::move(*key)};
      },
      [this, payload_json = std::move(payload_json),
       done = std::move(done)](Result<Keyed> keyed) mutable {
        if (!keyed) return done(ServiceError(std::move(keyed).error()));
        auto shared_done = std::make_shared<Callback<std::string>>(std::move(done));
        const bool queued = signing_.Post(
            [keyed = std::move(*keyed), payload_json = std::move(payload_json), shared_done]() {
              boost::json::object header;
              header["alg"] = "RS256";
              header["kid"] = keyed.first;
              header["typ"] = "JWT";
              (*shared_done)(SignJwt(*keyed.second, boost::json::serialize(header), payload_json));
            });
        if (!queued) (*shared_done)(errors::Unavailable("the signing queue is full"));
      });
}

void SessionService::Sign(MintPlan plan, Callback<std::string> done) {
  auto shared_done = std::make_shared<Callback<std::string>>(std::move(done));
  const bool queued = signing_.Post([this, plan = std::move(plan), shared_done]() {
    const int64_t iat = plan.now / 1000;
    boost::json::object header;
    header["alg"] = "RS256";
    header["cat"] = kSessionTokenCategory;
    header["kid"] = plan.kid;
    header["typ"] = "JWT";
    boost::json::object payload;
    if (!plan.azp.empty()) payload["azp"] = plan.azp;
    payload["exp"] = iat + plan.lifetime_s;
    // Minutes since the first factor (the sign-in that opened the session); no second factor.
    const int64_t factor_age_min =
        std::max<int64_t>(0, (plan.now - plan.session.created_at) / 60000);
    payload["fva"] = boost::json::array{factor_age_min, -1};
    payload["iat"] = iat;
    payload["iss"] = options_.issuer;
    payload["jti"] = RandomHex(10);
    payload["nbf"] = iat - kNotBeforeLeewayS;
    payload["sid"] = plan.session.id;
    payload["sts"] = "active";
    payload["sub"] = plan.session.user_id;
    payload["v"] = 2;
    if (plan.organization_id) {
      boost::json::object o;
      o["id"] = *plan.organization_id;
      o["slg"] = plan.slug;
      o["rol"] = plan.role.starts_with("org:") ? plan.role.substr(4) : plan.role;
      const auto table = authority_.Current();
      if (const auto* role = table->Find(plan.role); role && !role->token_claims.fea.empty()) {
        payload["fea"] = role->token_claims.fea;
        o["per"] = role->token_claims.per;
        o["fpm"] = role->token_claims.fpm;
      }
      payload["o"] = std::move(o);
    }
    auto jwt = SignJwt(*plan.key, boost::json::serialize(header), boost::json::serialize(payload));
    (*shared_done)(std::move(jwt));
  });
  if (!queued) (*shared_done)(errors::Unavailable("the signing queue is full"));
}

}  // namespace orgd::service
