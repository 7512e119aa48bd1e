#include "service/client_service.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <memory>
#include <mutex>

#include "common/digest.h"
#include "common/random.h"
#include "domain/errors.h"
#include "domain/user_rules.h"
#include "service/invitation_service.h"
#include "service/lookups.h"
#include "service/sign_in_token_service.h"
#include "service/transaction.h"
#include "store/store_errors.h"

namespace orgd::service {
namespace {

using domain::Client;
using domain::Session;

// The client's active sessions, newest first.
template <class Transaction>
Result<std::vector<Session>> ActiveSessions(Transaction& tx, const std::string& client_id,
                                            int64_t now) {
  store::SessionListQuery query;
  query.client_id = client_id;
  query.status = std::string(domain::kSessionActive);
  query.now = now;
  query.limit = 10;
  auto page = tx.sessions().List(query);
  if (!page) return page.error();
  return std::move(page->data);
}

// The organization `id_or_slug` names, if the user belongs to it.
template <class Transaction>
Result<std::string> MemberOrganization(Transaction& tx, const std::string& id_or_slug,
                                       const std::string& user_id) {
  auto org = tx.organizations().Get(id_or_slug);
  if (!org) {
    if (org.error().store_reason == StoreReason::kNotFound) {
      return errors::OrganizationNotFoundOrUnauthorized();
    }
    return org.error();
  }
  auto membership = tx.memberships().Get(org->id, user_id);
  if (!membership) {
    if (membership.error().store_reason == StoreReason::kNotFound) {
      return errors::OrganizationNotFoundOrUnauthorized();
    }
    return membership.error();
  }
  return org->id;
}

void RecordSession(Effects& effects, const EventPayloads& payloads, const char* type,
                   const SessionView& view, const domain::User* user) {
  RecordEvent(effects, type, std::nullopt, view.session.id, payloads.Session(view, user), view.now);
}

}  // namespace

ClientService::ClientService(store::Database& db, const Clock& clock, IdGenerator& ids,
                             const PermissionAuthority& authority, SessionService& sessions,
                             const EventPayloads& payloads)
    : db_(db),
      clock_(clock),
      ids_(ids),
      authority_(authority),
      sessions_(sessions),
      payloads_(payloads) {}

void ClientService::Authenticate(std::string credential, std::string session_id,
                                 Callback<ClientAuth> done) {
  const size_t dot = credential.find('.');
  // A credential orgd issued is "<client id>.<base64url secret>": one with other bytes is no
  // client, without a lookup (bytes that are not UTF-8 failed the PostgreSQL one with a 500).
  const bool shaped = std::all_of(credential.begin(), credential.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
  if (!shaped || dot == std::string::npos || dot == 0 || dot + 1 >= credential.size() ||
      !credential.starts_with(id_prefix::kClient)) {
    return done(errors::SignedOut());
  }
  Read<ClientAuth>(
      db_,
      [id = credential.substr(0, dot), hash = Sha256Hex(credential.substr(dot + 1)),
       session_id = std::move(session_id),
       now = clock_.NowMillis()](store::ReadTransaction& tx) -> Result<ClientAuth> {
        auto client = tx.clients().Get(id);
        if (!client) {
          if (client.error().store_reason == StoreReason::kNotFound) return errors::SignedOut();
          return client.error();
        }
        if (client->secret_hash.size() != hash.size() ||
            CRYPTO_memcmp(client->secret_hash.data(), hash.data(), hash.size()) != 0) {
          return errors::SignedOut();
        }
        ClientAuth auth{std::move(*client), std::nullopt, now};
        const std::string wanted =
            session_id.empty() ? auth.client.last_active_session_id.value_or("") : session_id;
        if (wanted.empty()) return auth;
        auto s = tx.sessions().Get(wanted);
        if (s && s->client_id == auth.client.id && s->IsActiveAt(now)) {
          auth.session = std::move(*s);
        } else if (!s && s.error().store_reason != StoreReason::kNotFound) {
          return s.error();
        } else if (!session_id.empty()) {
          // A session the request names must be this client's and active.
          return errors::SignedOut();
        }
        return auth;
      },
      std::move(done));
}

void ClientService::SignIn(const RequestContext& ctx, TicketCommand cmd,
                           Callback<SignInResult> done) {
  RunTicket(ctx, std::move(cmd), /*sign_up=*/false, std::move(done));
}

void ClientService::SignUp(const RequestContext& ctx, TicketCommand cmd,
                           Callback<SignInResult> done) {
  RunTicket(ctx, std::move(cmd), /*sign_up=*/true, std::move(done));
}

void ClientService::RunTicket(const RequestContext& ctx, TicketCommand cmd, bool sign_up,
                              Callback<SignInResult> done) {
  if (cmd.strategy.empty()) return done(errors::ParamMissing("strategy"));
  if (cmd.strategy != "ticket") return done(errors::StrategyNotEnabled(cmd.strategy));
  if (cmd.ticket.empty()) return done(errors::ParamMissing("ticket"));
  if (sign_up) {
    for (auto [value, param] :
         {std::pair{&cmd.first_name, "first_name"}, std::pair{&cmd.last_name, "last_name"}}) {
      if (*value) {
        if (auto r = domain::CheckUserTextField(**value, param); !r) return done(r.error());
      }
    }
  }
  const int64_t now = clock_.NowMillis();
  // IDs and the new client's secret are drawn once, outside the work: a retried transaction
  // runs the work again with the same ones.
  struct Fresh {
    std::string client_id, secret, attempt_id, membership_id, user_id, email_id;
  } fresh{ids_.New(id_prefix::kClient),      RandomBase64Url(32),
          ids_.New(sign_up ? "sua" : "sia"), ids_.New(id_prefix::kMembership),
          ids_.New(id_prefix::kUser),        ids_.New(id_prefix::kIdentification)};
  Write<SignInResult>(
      db_, ctx,
      [this, cmd = std::move(cmd), sign_up, now, fresh = std::move(fresh),
       existing_client = ctx.caller.client_id](store::WriteTransaction& tx,
                                               Effects& effects) -> Result<SignInResult> {
        SignInResult out;
        out.attempt_id = fresh.attempt_id;
        // The request's client, or a new one.
        if (!existing_client.empty()) {
          auto client = tx.clients().Get(existing_client);
          if (!client) return client.error();
          out.client = std::move(*client);
          auto active = ActiveSessions(tx, out.client.id, now);
          if (!active) return active.error();
          if (!active->empty()) return errors::SessionExists();
        } else {
          out.client.id = fresh.client_id;
          out.client.secret_hash = Sha256Hex(fresh.secret);
          out.client.created_at = now;
          out.client.updated_at = now;
          if (auto r = tx.clients().Insert(out.client); !r) return r.error();
          out.credential = fresh.client_id + "." + fresh.secret;
        }
        const bool invitation = cmd.ticket.find('.') != std::string::npos;
        if (!invitation) {
          if (sign_up) return errors::TicketInvalid();  // a sign-in token signs in
          auto session = RedeemSignInToken(tx, effects, payloads_, sessions_.options(), ids_,
                                           cmd.ticket, out.client.id, now);
          if (!session) return session.error();
          out.session = std::move(*session);
        } else {
          auto inv = InvitationFromTicket(tx, cmd.ticket, now);
          if (!inv) return inv.error();
          auto user = UserWithEmail(tx, inv->email_address);
          if (!user) return user.error();
          std::string user_id;
          if (sign_up) {
            if (*user) {
              return errors::IdentifierExists("email_address",
                                              "That email address is taken. Please try another.");
            }
            // The invited user, their address verified by the ticket they hold.
            domain::User created;
            created.id = fresh.user_id;
            created.email_addresses.push_back({fresh.email_id, inv->email_address, now, now});
            created.primary_email_address_id = fresh.email_id;
            created.first_name = cmd.first_name;
            created.last_name = cmd.last_name;
            created.created_at = created.updated_at = now;
            if (auto r = tx.users().Insert(created); !r) {
              if (store::IsUniqueViolation(r.error(), store::constraint::kUserEmail)) {
                return errors::IdentifierExists("email_address",
                                                "That email address is taken. Please try another.");
              }
              return r.error();
            }
            RecordEvent(effects, event_type::kUserCreated, std::nullopt, created.id,
                        payloads_.User(created), now);
            user_id = created.id;
          } else {
            if (!*user) {
              return Error(ErrorCode::kInvalidArgument, "form_identifier_not_found",
                           "Couldn't find your account.",
                           "No user has the invited address: sign up with the ticket instead.",
                           "identifier");
            }
            user_id = (*user)->id;
          }
          auto membership = AcceptInvitation(tx, effects, payloads_, authority_, std::move(*inv),
                                             user_id, fresh.membership_id, now);
          if (!membership) return membership.error();
          auto session =
              OpenSession(tx, effects, payloads_, sessions_.options(), ids_, user_id,
                          membership->membership.organization_id, "ticket", now, out.client.id);
          if (!session) return session.error();
          out.session = SessionView{std::move(*session), now};
        }
        auto user = tx.users().Get(out.session.session.user_id);
        if (!user) return user.error();
        out.user = std::move(*user);
        out.client.last_active_session_id = out.session.session.id;
        out.client.updated_at = now;
        if (auto r = tx.clients().Update(out.client); !r) return r.error();
        return out;
      },
      std::move(done));
}

void ClientService::Touch(const RequestContext& ctx, std::string session_id,
                          std::optional<std::string> active_organization,
                          Callback<SessionView> done) {
  if (ctx.caller.kind != Caller::Kind::kSession || ctx.caller.session_id != session_id) {
    return done(errors::SignedOut());
  }
  Write<SessionView>(
      db_, ctx,
      [this, session_id = std::move(session_id), active = std::move(active_organization),
       client_id = ctx.caller.client_id,
       now = clock_.NowMillis()](store::WriteTransaction& tx, Effects&) -> Result<SessionView> {
        auto s = tx.sessions().Get(session_id);
        if (!s) return s.error();
        if (s->client_id != client_id || !s->IsActiveAt(now)) return errors::SignedOut();
        if (active) {
          if (active->empty()) {
            s->last_active_organization_id.reset();
          } else {
            auto org = MemberOrganization(tx, *active, s->user_id);
            if (!org) return org.error();
            s->last_active_organization_id = std::move(*org);
          }
        }
        s->last_active_at = now;
        const int64_t timeout = sessions_.options().inactivity_timeout_ms;
        if (timeout > 0) s->abandon_at = std::min(now + timeout, s->expire_at);
        s->updated_at = now;
        if (auto r = tx.sessions().Update(*s); !r) return r.error();
        auto client = tx.clients().Get(client_id);
        if (!client) return client.error();
        client->last_active_session_id = s->id;
        client->updated_at = now;
        if (auto r = tx.clients().Update(*client); !r) return r.error();
        return SessionView{std::move(*s), now};
      },
      std::move(done));
}

void ClientService::EndSession(const RequestContext& ctx, std::string session_id, bool remove,
                               Callback<ClientSessionView> done) {
  if (ctx.caller.client_id.empty()) return done(errors::SignedOut());
  Write<ClientSessionView>(
      db_, ctx,
      [this, session_id = std::move(session_id), remove, client_id = ctx.caller.client_id,
       now = clock_.NowMillis()](store::WriteTransaction& tx,
                                 Effects& effects) -> Result<ClientSessionView> {
        auto s = tx.sessions().Get(session_id);
        if (!s) return s.error();
        // Another client's session does not exist for this one.
        if (s->client_id != client_id) return errors::NotFound("session");
        if (!s->IsActiveAt(now)) {
          return errors::InvalidActionForSession(remove ? "remove" : "end", session_id);
        }
        s->status = std::string(remove ? domain::kSessionRemoved : domain::kSessionEnded);
        s->updated_at = now;
        if (auto r = tx.sessions().Update(*s); !r) return r.error();
        auto client = tx.clients().Get(client_id);
        if (!client) return client.error();
        if (client->last_active_session_id == s->id) client->last_active_session_id.reset();
        client->updated_at = now;
        if (auto r = tx.clients().Update(*client); !r) return r.error();
        // An active session's user exists (deleting a user ends their sessions).
        auto user = tx.users().Get(s->user_id);
        if (!user) return user.error();
        SessionView view{*s, now};
        RecordSession(effects, payloads_,
                      remove ? event_type::kSessionRemoved : event_type::kSessionEnded, view,
                      &*user);
        return ClientSessionView{std::move(*s), std::move(*user), {}, {}};
      },
      std::move(done));
}

void ClientService::EndAll(const RequestContext& ctx, Callback<Client> done) {
  if (ctx.caller.client_id.empty()) return done(errors::SignedOut());
  Write<Client>(
      db_, ctx,
      [this, client_id = ctx.caller.client_id, now = clock_.NowMillis()](
          store::WriteTransaction& tx, Effects& effects) -> Result<Client> {
        auto client = tx.clients().Get(client_id);
        if (!client) return client.error();
        auto active = ActiveSessions(tx, client_id, now);
        if (!active) return active.error();
        for (Session& s : *active) {
          s.status = std::string(domain::kSessionEnded);
          s.updated_at = now;
          if (auto r = tx.sessions().Update(s); !r) return r.error();
          auto user = tx.users().Get(s.user_id);
          if (!user && user.error().store_reason != StoreReason::kNotFound) return user.error();
          RecordSession(effects, payloads_, event_type::kSessionEnded, SessionView{s, now},
                        user ? &*user : nullptr);
        }
        client->last_active_session_id.reset();
        client->updated_at = now;
        if (auto r = tx.clients().Update(*client); !r) return r.error();
        return client;
      },
      std::move(done));
}

void ClientService::Snapshot(const RequestContext&, std::string client_id, std::string origin,
                             Callback<ClientView> done, bool with_tokens) {
  Read<ClientView>(
      db_,
      [client_id = std::move(client_id),
       now = clock_.NowMillis()](store::ReadTransaction& tx) -> Result<ClientView> {
        auto client = tx.clients().Get(client_id);
        if (!client) return client.error();
        ClientView view{std::move(*client), {}, now};
        auto active = ActiveSessions(tx, view.client.id, now);
        if (!active) return active.error();
        for (Session& s : *active) {
          auto user = tx.users().Get(s.user_id);
          if (!user) return user.error();
          store::MembershipListQuery mine;
          mine.user_id = s.user_id;
          mine.limit = kMembershipsInClient;
          auto memberships = ReadMembershipViews(tx, mine, now);
          if (!memberships) return memberships.error();
          view.sessions.push_back(
              {std::move(s), std::move(*user), std::move(memberships->data), std::string()});
        }
        return view;
      },
      // Then a fresh token for each session, minted as the session's own caller would.
      [this, origin = std::move(origin), with_tokens,
       done = std::move(done)](Result<ClientView> read) mutable {
        if (!read || read->sessions.empty() || !with_tokens) return done(std::move(read));
        auto view = std::make_shared<ClientView>(std::move(*read));
        // Counted once: the last token's callback (on a signing thread) moves the view out to
        // `done`, possibly before this loop tests its condition again, so the loop must not read
        // view->sessions after its last CreateToken.
        const size_t count = view->sessions.size();
        auto pending = std::make_shared<std::atomic<size_t>>(count);
        auto failure = std::make_shared<std::optional<Error>>();
        auto failure_mutex = std::make_shared<std::mutex>();
        auto shared_done = std::make_shared<Callback<ClientView>>(std::move(done));
        for (size_t i = 0; i < count; ++i) {
          const Session& s = view->sessions[i].session;
          RequestContext mint;
          mint.api = Api::kFrontend;
          mint.caller = Caller::Session(s.user_id, s.id, s.last_active_organization_id.value_or(""),
                                        s.client_id);
          CreateTokenCommand cmd;
          cmd.session_id = s.id;
          cmd.origin = origin;
          sessions_.CreateToken(
              mint, std::move(cmd),
              [view, i, pending, failure, failure_mutex, shared_done](Result<std::string> jwt) {
                if (jwt) {
                  view->sessions[i].jwt = std::move(*jwt);
                } else {
                  std::lock_guard lock(*failure_mutex);
                  if (!*failure) *failure = jwt.error();
                }
                if (pending->fetch_sub(1) != 1) return;
                if (*failure) return (*shared_done)(std::move(**failure));
                (*shared_done)(std::move(*view));
              });
        }
      });
}

}  // namespace orgd::service
