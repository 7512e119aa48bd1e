#include "service/sign_in_token_service.h"

#include <openssl/evp.h>

#include <array>
#include <boost/json/serialize.hpp>
#include <optional>

#include "common/digest.h"
#include "common/random.h"
#include "common/rsa_signer.h"
#include "domain/errors.h"
#include "service/authorization.h"
#include "service/lookups.h"
#include "service/transaction.h"
#include "store/store_errors.h"

namespace orgd::service {
namespace {

using domain::SignInToken;

// A sign-in token as the audit log keeps it: never the token, nor its hash.
std::string AuditSnapshot(const SignInToken& t) {
  auto optional = [](const std::optional<std::string>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
  };
  return boost::json::serialize(
      boost::json::object{{"object", "sign_in_token"},
                          {"id", t.id},
                          {"user_id", t.user_id},
                          {"status", t.status},
                          {"organization_id", optional(t.organization_id)},
                          {"session_id", optional(t.session_id)},
                          {"expires_at", t.expires_at},
                          {"created_at", t.created_at},
                          {"updated_at", t.updated_at}});
}

void AuditToken(Effects& effects, const char* action, const std::optional<SignInToken>& before,
                const SignInToken& after) {
  effects.Audit({.action = action,
                 .resource_type = "sign_in_token",
                 .resource_id = after.id,
                 .organization_id = std::nullopt,
                 .before = before ? std::optional(AuditSnapshot(*before)) : std::nullopt,
                 .after = AuditSnapshot(after),
                 .created_at = after.updated_at});
}

}  // namespace

std::string SignInTokenHash(std::string_view secret) { return Sha256Hex(secret); }

SignInTokenService::SignInTokenService(store::Database& db, const Clock& clock, IdGenerator& ids,
                                       const SessionOptions& session_options,
                                       const EventPayloads& payloads)
    : db_(db), clock_(clock), ids_(ids), session_options_(session_options), payloads_(payloads) {}

void SignInTokenService::Create(const RequestContext& ctx, CreateSignInTokenCommand cmd,
                                Callback<SignInTokenView> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageSignInTokens); !r) {
    return done(r.error());
  }
  if (!cmd.user_id || cmd.user_id->empty()) return done(errors::ParamMissing("user_id"));
  const int64_t seconds = cmd.expires_in_seconds.value_or(domain::kDefaultSignInTokenSeconds);
  if (seconds < 1 || seconds > domain::kMaxSignInTokenSeconds) {
    return done(errors::ParamInvalid("expires_in_seconds",
                                     "expires_in_seconds must be between 1 and 315360000."));
  }
  const int64_t now = clock_.NowMillis();
  SignInTokenView view;
  view.secret = RandomBase64Url(32);
  view.token.id = ids_.New(id_prefix::kSignInToken);
  view.token.user_id = *cmd.user_id;
  view.token.token_hash = SignInTokenHash(*view.secret);
  view.token.organization_id = cmd.organization_id;
  view.token.expires_at = now + seconds * 1000;
  view.token.created_at = view.token.updated_at = now;
  Write<SignInTokenView>(
      db_, ctx,
      [view = std::move(view)](store::WriteTransaction& tx,
                               Effects& effects) -> Result<SignInTokenView> {
        auto user = tx.users().Get(view.token.user_id);
        if (!user) return user.error();
        if (view.token.organization_id) {
          auto org = GetOrganizationById(tx, *view.token.organization_id);
          if (!org) return org.error();
          auto membership = tx.memberships().Get(org->id, user->id);
          if (!membership) {
            if (membership.error().store_reason == StoreReason::kNotFound) {
              return errors::NotAMemberInOrganization("org_id");
            }
            return membership.error();
          }
        }
        if (auto r = tx.sign_in_tokens().Insert(view.token); !r) return r.error();
        AuditToken(effects, "sign_in_token.created", std::nullopt, view.token);
        return view;
      },
      std::move(done));
}

void SignInTokenService::Revoke(const RequestContext& ctx, std::string id,
                                Callback<SignInTokenView> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kManageSignInTokens); !r) {
    return done(r.error());
  }
  Write<SignInTokenView>(
      db_, ctx,
      [id = std::move(id), now = clock_.NowMillis()](store::WriteTransaction& tx,
                                                     Effects& effects) -> Result<SignInTokenView> {
        auto token = tx.sign_in_tokens().Get(id);
        if (!token) return token.error();
        if (token->status != domain::kSignInTokenPending) {
          return errors::SignInTokenCannotBeRevoked(token->status);
        }
        const SignInToken before = *token;
        token->status = std::string(domain::kSignInTokenRevoked);
        token->updated_at = now;
        if (auto r = tx.sign_in_tokens().UpdatePending(*token); !r) return r.error();
        AuditToken(effects, "sign_in_token.revoked", before, *token);
        return SignInTokenView{std::move(*token), std::nullopt};
      },
      std::move(done));
}

Result<SessionView> RedeemSignInToken(store::WriteTransaction& tx, Effects& effects,
                                      const EventPayloads& payloads,
                                      const SessionOptions& session_options, IdGenerator& ids,
                                      std::string_view secret, std::string_view client_id,
                                      int64_t now) {
  const std::string hash = SignInTokenHash(secret);
  auto token = tx.sign_in_tokens().GetByHash(hash);
  if (!token) {
    if (token.error().store_reason == StoreReason::kNotFound) return errors::TicketInvalid();
    return token.error();
  }
  if (token->status == domain::kSignInTokenRevoked) return errors::SignInTokenRevoked();
  if (token->status == domain::kSignInTokenAccepted) return errors::SignInTokenAlreadyUsed();
  if (token->expires_at <= now) return errors::TicketExpired();
  // The token's organization, if the user still belongs to it; else the usual default.
  std::optional<std::string> org;
  if (token->organization_id) {
    auto membership = tx.memberships().Get(*token->organization_id, token->user_id);
    if (membership) {
      org = token->organization_id;
    } else if (membership.error().store_reason != StoreReason::kNotFound) {
      return membership.error();
    }
  }
  auto session = OpenSession(tx, effects, payloads, session_options, ids, token->user_id, org,
                             "org_id", now, client_id);
  if (!session) {
    if (session.error().store_reason == StoreReason::kNotFound) return errors::TicketInvalid();
    return session.error();
  }
  const SignInToken before = *token;
  token->status = std::string(domain::kSignInTokenAccepted);
  token->session_id = session->id;
  token->updated_at = now;
  // Single use: only one transaction moves it out of pending.
  if (auto r = tx.sign_in_tokens().UpdatePending(*token); !r) {
    if (r.error().store_reason == StoreReason::kNotFound) {
      return errors::SignInTokenAlreadyUsed();
    }
    return r.error();
  }
  AuditToken(effects, "sign_in_token.accepted", before, *token);
  return SessionView{std::move(*session), now};
}

void SignInTokenService::Redeem(const RequestContext& ctx, std::string secret,
                                Callback<SessionView> done) {
  Write<SessionView>(
      db_, ctx,
      [this, secret = std::move(secret), now = clock_.NowMillis()](
          store::WriteTransaction& tx, Effects& effects) -> Result<SessionView> {
        return RedeemSignInToken(tx, effects, payloads_, session_options_, ids_, secret, {}, now);
      },
      std::move(done));
}

}  // namespace orgd::service
