// SignInTokenService: the sign-in tokens an app's backend creates for a user it has signed in by
// its own means (Clerk's POST /v1/sign_in_tokens), which the browser redeems for a session
// through the Frontend API's ticket sign-in.
//
// A token's secret is 256 random bits, shown once in the create response and stored only as its
// SHA-256. Redeeming it is single use: the transaction that opens the session moves the token
// from pending to accepted, and only one transaction can. A redemption records the new session's
// session.created (service/event_payloads.h); creating or revoking a token records no event.
//
// Thread safety: every method may be called from any thread; callbacks follow service/callback.h.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "common/ids.h"
#include "domain/session.h"
#include "service/callback.h"
#include "service/event_payloads.h"
#include "service/request_context.h"
#include "service/session_service.h"
#include "store/database.h"

namespace orgd::service {

struct CreateSignInTokenCommand {
  std::optional<std::string> user_id;          // required
  std::optional<int64_t> expires_in_seconds;   // 1–315360000; default 30 days
  std::optional<std::string> organization_id;  // org_id: made active on redemption
};

// A sign-in token, with its secret right after creation (never afterwards).
struct SignInTokenView {
  domain::SignInToken token;
  std::optional<std::string> secret;
};

class SignInTokenService {
 public:
  // REQUIRES: every argument outlives the service.
  SignInTokenService(store::Database& db, const Clock& clock, IdGenerator& ids,
                     const SessionOptions& session_options, const EventPayloads& payloads);

  // Errors: 422 form_param_missing (user_id), form_param_value_invalid (expires_in_seconds);
  // 404 for the user or the organization; 403 not_a_member_in_organization (org_id).
  void Create(const RequestContext& ctx, CreateSignInTokenCommand cmd,
              Callback<SignInTokenView> done);
  // 404; 400 sign_in_token_cannot_be_revoked_code unless pending.
  void Revoke(const RequestContext& ctx, std::string id, Callback<SignInTokenView> done);
  // Opens a session for the token's user, in the token's organization when the user still
  // belongs to it. Errors: 400 ticket_invalid_code (unknown secret, or its user is gone),
  // ticket_expired_code, sign_in_token_revoked_code, sign_in_token_already_used_code.
  // Anyone holding the secret may redeem it: the secret is the credential.
  void Redeem(const RequestContext& ctx, std::string secret, Callback<SessionView> done);

 private:
  store::Database& db_;
  const Clock& clock_;
  IdGenerator& ids_;
  const SessionOptions& session_options_;
  const EventPayloads& payloads_;
};

// Redeem()'s work in `tx`: opens the session (on `client_id`; empty: a new client ID) and marks
// the token used. Errors as Redeem().
Result<SessionView> RedeemSignInToken(store::WriteTransaction& tx, Effects& effects,
                                      const EventPayloads& payloads,
                                      const SessionOptions& session_options, IdGenerator& ids,
                                      std::string_view secret, std::string_view client_id,
                                      int64_t now);

// The stored form of a sign-in token's secret: its SHA-256 in hex.
std::string SignInTokenHash(std::string_view secret);

}  // namespace orgd::service
