// SessionService: sessions (BEHAVIOR.md §2.12, §3.8) and the session tokens they mint (§5).
//
// A session lives for --session-lifetime from its creation (then it reads as expired) and, with
// --session-inactivity-timeout, until that long after its last activity (then abandoned). Only
// an active session mints; revoking one (the Backend API), deleting its user (ended) or the
// passage of time stops it for good.
//
// A token is an RS256 JWT with Clerk's v2 claims. The active organization's role and custom
// permissions come from the in-memory role table (PermissionAuthority), already encoded per role
// (domain/org_claims.h); the store is read once per mint (the session, the membership and the
// organization, and which signing key is current). Signing, the CPU-bound part, runs on the
// signing pool, off the I/O threads.
//
// Webhook events, each in the transaction of its change (service/event_payloads.h):
// session.created (here and when a sign-in token is redeemed), session.revoked; session.ended is
// recorded by UserService::Delete for the sessions it ends.
//
// Thread safety: every method may be called from any thread; callbacks follow service/callback.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/executor.h"
#include "common/ids.h"
#include "domain/session.h"
#include "service/callback.h"
#include "service/event_payloads.h"
#include "service/permission_authority.h"
#include "service/request_context.h"
#include "service/signing_keys.h"
#include "store/database.h"

namespace orgd::service {

class Effects;  // service/transaction.h

struct SessionOptions {
  int64_t lifetime_ms = 7LL * 24 * 60 * 60 * 1000;  // --session-lifetime
  int64_t inactivity_timeout_ms = 0;                // --session-inactivity-timeout; 0: off
  int64_t token_lifetime_s = 60;                    // --token-lifetime
  std::string issuer;                               // iss: --frontend-url
  std::vector<std::string> allowed_origins;         // azp only for these (--allowed-origin)
};

// A session with the time its status is shown for.
struct SessionView {
  domain::Session session;
  int64_t now = 0;
};

struct CreateSessionCommand {
  std::optional<std::string> user_id;  // required
  std::optional<std::string> active_organization_id;
};

struct CreateTokenCommand {
  std::string session_id;
  std::optional<int64_t> expires_in_seconds;  // 30–315360000; default: the token lifetime
  std::optional<std::string> template_name;   // a JWT template: orgd has none (404)
  std::string origin;  // the request's Origin: the azp claim when it is an allowed origin
  // The organization the token is for (the Frontend API's organization_id): "" none, an ID one
  // the user belongs to (else 404 organization_not_found_or_unauthorized); nullopt: the
  // session's active one.
  std::optional<std::string> organization_id;
};

// The bounds of expires_in_seconds on a session token (the Backend API's).
inline constexpr int64_t kMinTokenSeconds = 30;
inline constexpr int64_t kMaxTokenSeconds = 315360000;

class SessionService {
 public:
  // REQUIRES: every argument outlives the service.
  SessionService(store::Database& db, const Clock& clock, IdGenerator& ids,
                 const PermissionAuthority& authority, SigningKeys& keys, Executor& signing,
                 SessionOptions options, const EventPayloads& payloads);

  // Errors: 422 form_param_missing (user_id); 404 for the user or the organization; 403
  // not_a_member_in_organization (active_organization_id). Without active_organization_id the
  // session starts in the organization the user joined last (BEHAVIOR.md §2.13), if any.
  void Create(const RequestContext& ctx, CreateSessionCommand cmd, Callback<SessionView> done);
  // Newest first. REQUIRES: query.now is left for the service to set.
  void List(const RequestContext& ctx, store::SessionListQuery query,
            Callback<store::Page<SessionView>> done);
  // 404 for an unknown ID.
  void Get(const RequestContext& ctx, std::string session_id, Callback<SessionView> done);
  // 400 invalid_action_for_session unless the session is active.
  void Revoke(const RequestContext& ctx, std::string session_id, Callback<SessionView> done);
  // A signed session token (compact JWS). A session caller mints for their own session only.
  // Errors: 422 form_param_value_invalid
  // (expires_in_seconds); 404 for the session or the template; 401 authentication_invalid when
  // the session is not active; 503 when the signing pool is full.
  void CreateToken(const RequestContext& ctx, CreateTokenCommand cmd, Callback<std::string> done);

  // `payload` signed as a JWT (RS256) with the current session-token key, as the handshake
  // token @clerk/backend verifies with the same keys as session tokens. For orgd's own callers
  // (no authorization): the caller decides what the payload says.
  void SignPayload(std::string payload_json, Callback<std::string> done);

  const SessionOptions& options() const { return options_; }

 private:
  struct MintPlan;
  void Sign(MintPlan plan, Callback<std::string> done);

  store::Database& db_;
  const Clock& clock_;
  IdGenerator& ids_;
  const PermissionAuthority& authority_;
  SigningKeys& keys_;
  Executor& signing_;
  const SessionOptions options_;
  const EventPayloads& payloads_;
};

// Starts a session for `user_id` in `tx` (the Backend API's create, a redeemed sign-in token) and
// records its session.created in `effects`. `organization_id`: the organization to make active,
// checked to be the user's (errors as SessionService::Create, naming `org_param`); nullopt: the
// one the user joined last. `client_id`: the Frontend API client it belongs to; empty: a new ID
// (a session made through the Backend API belongs to no client orgd knows).
Result<domain::Session> OpenSession(store::WriteTransaction& tx, Effects& effects,
                                    const EventPayloads& payloads, const SessionOptions& options,
                                    IdGenerator& ids, const std::string& user_id,
                                    const std::optional<std::string>& organization_id,
                                    std::string_view org_param, int64_t now,
                                    std::string_view client_id = {});

}  // namespace orgd::service
