// ClientService: the Frontend API's clients and the sessions on them (BEHAVIOR.md §4,
// CLERK-JS.md §2–4). A client is one browser (its httpOnly __client cookie) or native app (the
// Authorization header); its credential is "<client id>.<secret>", 256 random bits of which the
// store keeps only the SHA-256. Every Frontend API request is authenticated here first, and the
// caller it acts for (service::Caller::Session) is the session this finds, never a request field.
//
// orgd signs in and up by ticket only: a sign-in token of the Backend API, or an invitation's
// ticket (signing in accepts the invitation; signing up creates the invited user with that
// address, then accepts). The instance is in single-session mode: a client has at most one active
// session, and signing in beside it is 400 session_exists.
//
// Webhook events, each in the transaction of its change: session.created for every sign-in,
// session.ended for end and sign-out, session.removed for remove; user.created for a sign-up;
// organizationInvitation.accepted and organizationMembership.created for an invitation ticket.
//
// Thread safety: every method may be called from any thread; callbacks follow service/callback.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/ids.h"
#include "domain/session.h"
#include "domain/user.h"
#include "service/callback.h"
#include "service/event_payloads.h"
#include "service/membership_service.h"
#include "service/permission_authority.h"
#include "service/request_context.h"
#include "service/session_service.h"
#include "store/database.h"

namespace orgd::service {

// Who a Frontend API request comes from: its client, and the active session it acts in.
struct ClientAuth {
  domain::Client client;
  std::optional<domain::Session> session;  // absent: signed out on this client
  int64_t now = 0;
};

// One session of a client as the Frontend API shows it: with its user, the user's memberships
// (each with its organization and role) and a fresh token for its active organization.
struct ClientSessionView {
  domain::Session session;
  domain::User user;
  std::vector<MembershipView> memberships;  // newest first
  std::string jwt;
};

// The complete client that every Frontend API mutation answers alongside its result.
struct ClientView {
  domain::Client client;
  std::vector<ClientSessionView> sessions;  // the active ones
  int64_t now = 0;
};

struct TicketCommand {
  std::string strategy;  // only "ticket" is enabled
  std::string ticket;
  std::optional<std::string> first_name;  // sign-up only
  std::optional<std::string> last_name;
};

// What a sign-in or sign-up produced.
struct SignInResult {
  std::string attempt_id;  // sia_… or sua_…
  domain::Client client;
  std::optional<std::string> credential;  // set when this sign-in created the client
  SessionView session;
  domain::User user;
};

class ClientService {
 public:
  // Most memberships a client's user shows (clerk-js keeps them in memory; the lists page).
  static constexpr int64_t kMembershipsInClient = 100;

  // REQUIRES: every argument outlives the service.
  ClientService(store::Database& db, const Clock& clock, IdGenerator& ids,
                const PermissionAuthority& authority, SessionService& sessions,
                const EventPayloads& payloads);

  // The client `credential` names, and the session the request acts in: `session_id` when
  // given (it must be this client's and active), else the client's last active session if it
  // is still active. Errors: 401 signed_out for an unknown or forged credential, or a
  // session_id that is not an active session of this client.
  void Authenticate(std::string credential, std::string session_id, Callback<ClientAuth> done);

  // POST /v1/client/sign_ins. `ctx.caller.client_id`: the request's client, if it has one
  // (else this creates one). Errors: 422 form_param_missing (strategy, ticket),
  // strategy_for_user_invalid; 400 session_exists; the ticket errors of
  // SignInTokenService::Redeem and InvitationService::Accept; 422 form_identifier_not_found for
  // an invitation to an address no user has (that is a sign-up).
  void SignIn(const RequestContext& ctx, TicketCommand cmd, Callback<SignInResult> done);
  // POST /v1/client/sign_ups: an invitation ticket to an address no user has. Errors as SignIn,
  // and 422 form_identifier_exists when a user has the address (that is a sign-in).
  void SignUp(const RequestContext& ctx, TicketCommand cmd, Callback<SignInResult> done);

  // POST /v1/client/sessions/{id}/touch: the caller's own session becomes the client's last
  // active one; `active_organization` (an ID or a slug; "" for none; nullopt: unchanged) must be
  // one the user belongs to (404 organization_not_found_or_unauthorized otherwise).
  void Touch(const RequestContext& ctx, std::string session_id,
             std::optional<std::string> active_organization, Callback<SessionView> done);
  // …/end (status ended) or …/remove (removed): the session as it now is, with its user (no
  // memberships, no token). 404 for a session of another client.
  void EndSession(const RequestContext& ctx, std::string session_id, bool remove,
                  Callback<ClientSessionView> done);
  // DELETE /v1/client/sessions and DELETE /v1/client: ends every active session of the client.
  void EndAll(const RequestContext& ctx, Callback<domain::Client> done);

  // The client with its active sessions, each with a fresh token (minted for `origin`'s azp)
  // unless `with_tokens` is false (a read that shows no token: GET /v1/me).
  void Snapshot(const RequestContext& ctx, std::string client_id, std::string origin,
                Callback<ClientView> done, bool with_tokens = true);

 private:
  void RunTicket(const RequestContext& ctx, TicketCommand cmd, bool sign_up,
                 Callback<SignInResult> done);

  store::Database& db_;
  const Clock& clock_;
  IdGenerator& ids_;
  const PermissionAuthority& authority_;
  SessionService& sessions_;
  const EventPayloads& payloads_;
};

}  // namespace orgd::service
