#include "service/invitation_service.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <boost/json/serialize.hpp>
#include <unordered_map>

#include "common/hex.h"
#include "common/random.h"
#include "domain/errors.h"
#include "domain/text_rules.h"
#include "domain/user_rules.h"
#include "service/authorization.h"
#include "service/field_rules.h"
#include "service/lookups.h"
#include "service/transaction.h"
#include "store/store_errors.h"

namespace orgd::service {
namespace {

using domain::Invitation;

// The store secret that signs tickets (store::SettingsWriter::Secret).
constexpr std::string_view kTicketKeyName = "invitation_tickets";
constexpr size_t kMaxRedirectUrl = 2048;
constexpr std::string_view kAdminPermission = "org:sys_memberships:manage";

std::string NewTicketKey() {
  std::array<uint8_t, 32> key;
  FillRandom(key);
  return HexEncode(key.data(), key.size());
}

std::string TicketMac(std::string_view key, const Invitation& inv) {
  const std::string message = "orgd invitation ticket v1\n" + inv.id + "\n" + inv.email_address +
                              "\n" + std::to_string(inv.expires_at);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &n);
  return HexEncode(mac, n);
}

// `base` with the ticket parameters Clerk appends (before any fragment).
std::string WithTicket(const std::string& base, const std::string& ticket, bool user_exists) {
  const size_t hash = base.find('#');
  std::string head = base.substr(0, hash);
  head += head.find('?') == std::string::npos ? '?' : '&';
  head += "__clerk_ticket=" + ticket + "&__clerk_status=" + (user_exists ? "sign_in" : "sign_up");
  if (hash != std::string::npos) head += base.substr(hash);
  return head;
}

Result<void> ValidateRedirectUrl(const std::optional<std::string>& url) {
  if (!url) return {};
  const bool web = url->starts_with("http://") || url->starts_with("https://");
  if (!web || url->size() > kMaxRedirectUrl || url->find_first_of(" \"<>\\") != std::string::npos) {
    return errors::ParamFormatInvalid("redirect_url", "redirect_url must be an http(s) URL.");
  }
  return domain::RefuseControlCharacters(*url, "redirect_url");
}

// Refuses a named inviter or requester who is no admin of the organization.
Result<domain::User> RequireAdmin(store::WriteTransaction& tx, const std::string& organization_id,
                                  const std::string& user_id, std::string_view param,
                                  const PermissionAuthority& authority) {
  auto user = tx.users().Get(user_id);
  if (!user) return user.error();
  auto membership = tx.memberships().Get(organization_id, user_id);
  if (!membership) {
    if (membership.error().store_reason == StoreReason::kNotFound) return errors::NotAnAdmin(param);
    return membership.error();
  }
  if (!authority.Can(membership->role, kAdminPermission)) return errors::NotAnAdmin(param);
  return user;
}

// What needs no transaction: the fields of one create, checked and normalized.
Result<Invitation> Prepare(const CreateInvitationCommand& cmd, const std::string& organization_id,
                           int64_t now, IdGenerator& ids) {
  if (!cmd.email_address || cmd.email_address->empty()) {
    return errors::ParamMissing("email_address");
  }
  if (!cmd.role || cmd.role->empty()) return errors::ParamMissing("role");
  auto email = domain::NormalizeEmailAddress(*cmd.email_address, "email_address");
  if (!email) return email.error();
  const int64_t days = cmd.expires_in_days.value_or(domain::kDefaultInvitationDays);
  if (days < 1 || days > domain::kMaxInvitationDays) {
    return errors::ParamInvalid("expires_in_days", "expires_in_days must be between 1 and 365.");
  }
  if (auto r = ValidateUserId(cmd.inviter_user_id, "inviter_user_id"); !r) return r.error();
  if (auto r = ValidateRedirectUrl(cmd.redirect_url); !r) return r.error();
  auto pub = InitialMetadata(cmd.public_metadata, "public_metadata");
  if (!pub) return pub.error();
  auto priv = InitialMetadata(cmd.private_metadata, "private_metadata");
  if (!priv) return priv.error();
  Invitation inv;
  inv.id = ids.New(id_prefix::kInvitation);
  inv.organization_id = organization_id;
  inv.email_address = std::move(*email);
  inv.role = *cmd.role;
  inv.inviter_user_id = cmd.inviter_user_id;
  inv.public_metadata = std::move(*pub);
  inv.private_metadata = std::move(*priv);
  inv.redirect_url = cmd.redirect_url;
  inv.notify = cmd.notify.value_or(true);
  inv.expires_at = now + days * 24 * 60 * 60 * 1000;
  inv.created_at = inv.updated_at = now;
  return inv;
}

// Stores one prepared invitation in `tx`, with every check that needs the store.
Result<InvitationView> InsertOne(store::WriteTransaction& tx, Invitation inv,
                                 const domain::Organization& org, const std::string& base_url,
                                 const PermissionAuthority& authority) {
  auto role = tx.roles().GetByKey(inv.role);
  if (!role) return role.error();
  std::optional<domain::User> inviter;
  if (inv.inviter_user_id) {
    auto admin = RequireAdmin(tx, org.id, *inv.inviter_user_id, "inviter_user_id", authority);
    if (!admin) return admin.error();
    inviter = std::move(*admin);
  }
  auto invitee = UserWithEmail(tx, inv.email_address);
  if (!invitee) return invitee.error();
  if (*invitee) {
    auto member = tx.memberships().Get(org.id, (*invitee)->id);
    if (member) return errors::AlreadyMember((*invitee)->id);
    if (member.error().store_reason != StoreReason::kNotFound) return member.error();
  }
  if (auto r = tx.invitations().ExpireStale(org.id, inv.email_address, inv.created_at); !r) {
    return r.error();
  }
  const std::string& base = inv.redirect_url ? *inv.redirect_url : base_url;
  if (!base.empty()) {
    auto key = tx.settings().Secret(kTicketKeyName, NewTicketKey());
    if (!key) return key.error();
    inv.url = WithTicket(base, InvitationTicket(*key, inv), invitee->has_value());
  }
  if (auto r = tx.invitations().Insert(inv); !r) {
    if (store::IsUniqueViolation(r.error(), store::constraint::kPendingInvitation)) {
      return errors::InvitationNotUnique();
    }
    if (r.error().store_reason == StoreReason::kLimitReached) {
      return errors::MembershipQuotaExceeded(org.max_allowed_memberships);
    }
    return r.error();
  }
  // The email is queued in the same transaction (a durable outbox: it exists exactly when the
  // invitation does) and sent by whichever node's jobs runner has SMTP
  // (service/invitation_email.h). Without an accept link there is nothing to send.
  if (inv.notify && inv.url) {
    store::Job job;
    job.id = "job_email_" + inv.id;
    job.kind = kInvitationEmailJob;
    job.payload = boost::json::serialize(boost::json::object{{"invitation_id", inv.id}});
    job.dedupe_key = "invitation_email:" + inv.id;
    job.run_at = job.created_at = inv.created_at;
    if (auto r = tx.jobs().Insert(job); !r) return r.error();
  }
  const int64_t now = inv.created_at;
  return InvitationView{std::move(inv), role->name, std::move(inviter), std::nullopt, now};
}

// The views of a page: role names from the in-memory table (the key when the role is gone),
// inviters in one batch, and the organizations when asked.
template <class Transaction>
Result<store::Page<InvitationView>> Views(Transaction& tx, store::Page<Invitation> page,
                                          int64_t now, bool with_organizations,
                                          const PermissionAuthority& authority) {
  std::vector<std::string> inviter_ids;
  for (const auto& inv : page.data) {
    if (inv.inviter_user_id) inviter_ids.push_back(*inv.inviter_user_id);
  }
  std::unordered_map<std::string, domain::User> inviters;
  if (!inviter_ids.empty()) {
    auto users = tx.users().GetMany(inviter_ids);
    if (!users) return users.error();
    for (auto& u : *users) {
      std::string id = u.id;
      inviters.emplace(std::move(id), std::move(u));
    }
  }
  std::unordered_map<std::string, domain::Organization> orgs;
  auto table = authority.Current();
  store::Page<InvitationView> out;
  out.total_count = page.total_count;
  out.data.reserve(page.data.size());
  for (auto& inv : page.data) {
    InvitationView view;
    const auto* role = table->Find(inv.role);
    view.role_name = role != nullptr ? role->name : inv.role;
    if (inv.inviter_user_id) {
      if (auto it = inviters.find(*inv.inviter_user_id); it != inviters.end()) {
        view.inviter = it->second;
      }
    }
    if (with_organizations) {
      auto it = orgs.find(inv.organization_id);
      if (it == orgs.end()) {
        auto org = tx.organizations().Get(inv.organization_id);
        if (!org) return org.error();
        it = orgs.emplace(inv.organization_id, std::move(*org)).first;
      }
      view.organization = it->second;
    }
    view.now = now;
    view.invitation = std::move(inv);
    out.data.push_back(std::move(view));
  }
  return out;
}

// The view of one invitation (Views of a page of one).
template <class Transaction>
Result<InvitationView> OneView(Transaction& tx, Invitation inv, int64_t now,
                               const PermissionAuthority& authority) {
  store::Page<Invitation> one;
  one.data.push_back(std::move(inv));
  auto views = Views(tx, std::move(one), now, false, authority);
  if (!views) return views.error();
  return std::move(views->data.front());
}

// Records `type` (an organizationInvitation event) for `view`, an invitation of `org`.
void RecordInvitation(Effects& effects, const EventPayloads& payloads, const char* type,
                      const InvitationView& view, const domain::Organization& org) {
  RecordEvent(effects, type, org.id, view.invitation.id, payloads.Invitation(view, org), view.now);
}

// The invitation `id` of organization `organization_id` (404 for another organization's).
template <class Transaction>
Result<Invitation> GetInOrganization(Transaction& tx, const std::string& organization_id,
                                     const std::string& id) {
  auto inv = tx.invitations().Get(id);
  if (!inv) return inv;
  if (inv->organization_id != organization_id) return errors::NotFound("organization invitation");
  return inv;
}

}  // namespace

std::string InvitationTicket(std::string_view key, const Invitation& invitation) {
  return invitation.id + "." + TicketMac(key, invitation);
}

InvitationService::InvitationService(store::Database& db, const Clock& clock, IdGenerator& ids,
                                     const PermissionAuthority& authority,
                                     std::string default_redirect_url,
                                     const EventPayloads& payloads)
    : db_(db),
      clock_(clock),
      ids_(ids),
      authority_(authority),
      default_redirect_url_(std::move(default_redirect_url)),
      payloads_(payloads) {}

void InvitationService::Create(const RequestContext& ctx, std::string organization_id,
                               CreateInvitationCommand cmd, Callback<InvitationView> done) {
  std::vector<CreateInvitationCommand> items;
  items.push_back(std::move(cmd));
  CreateBulk(ctx, std::move(organization_id), std::move(items),
             [done = std::move(done)](Result<std::vector<InvitationView>> views) {
               if (!views) return done(views.error());
               done(std::move(views->front()));
             });
}

void InvitationService::CreateBulk(const RequestContext& ctx, std::string organization_id,
                                   std::vector<CreateInvitationCommand> items,
                                   Callback<std::vector<InvitationView>> done) {
  const int64_t now = clock_.NowMillis();
  std::vector<Invitation> prepared;
  prepared.reserve(items.size());
  for (const auto& item : items) {
    auto inv = Prepare(item, organization_id, now, ids_);
    if (!inv) return done(inv.error());
    // A session user invites as themselves (clerk-js's invitations name their inviter, whatever a
    // request says); the policy has already granted them the organization's invitations.
    if (ctx.caller.kind == Caller::Kind::kSession) inv->inviter_user_id = ctx.caller.id;
    prepared.push_back(std::move(*inv));
  }
  // Every invitation counts against the member limit: one write to an organization at a time.
  std::string contention = organization_id;
  WriteContended<std::vector<InvitationView>>(
      db_, std::move(contention), ctx,
      [organization_id = std::move(organization_id), prepared = std::move(prepared),
       access = OrganizationAccess(ctx.caller, authority_), &authority = authority_,
       &payloads = payloads_, base_url = default_redirect_url_](
          store::WriteTransaction& tx, Effects& effects) -> Result<std::vector<InvitationView>> {
        auto org = GetOrganizationById(tx, organization_id);
        if (!org) return org.error();
        if (auto r = access.Check(tx, Operation::kManageMemberships, org->id); !r) {
          return r.error();
        }
        std::vector<InvitationView> views;
        for (const Invitation& inv : prepared) {
          auto view = InsertOne(tx, inv, *org, base_url, authority);
          if (!view) return view.error();
          RecordInvitation(effects, payloads, event_type::kInvitationCreated, *view, *org);
          views.push_back(std::move(*view));
        }
        return views;
      },
      std::move(done));
}

void InvitationService::List(const RequestContext& ctx, store::InvitationListQuery query,
                             Callback<store::Page<InvitationView>> done) {
  query.now = clock_.NowMillis();
  // Addresses as stored; one that cannot be normalized stays as given and matches nobody.
  for (auto& email : query.email_addresses) {
    if (auto normalized = domain::NormalizeEmailAddress(email, "email_address")) {
      email = std::move(*normalized);
    }
  }
  Read<store::Page<InvitationView>>(
      db_,
      [query = std::move(query), access = OrganizationAccess(ctx.caller, authority_),
       &authority = authority_](store::ReadTransaction& tx) -> Result<store::Page<InvitationView>> {
        auto org = GetOrganizationById(tx, *query.organization_id);
        if (!org) return org.error();
        if (auto r = access.Check(tx, Operation::kManageMemberships, org->id); !r) {
          return r.error();
        }
        auto page = tx.invitations().List(query);
        if (!page) return page.error();
        return Views(tx, std::move(*page), query.now, false, authority);
      },
      std::move(done));
}

void InvitationService::Get(const RequestContext& ctx, std::string organization_id,
                            std::string invitation_id, Callback<InvitationView> done) {
  const int64_t now = clock_.NowMillis();
  Read<InvitationView>(
      db_,
      [organization_id = std::move(organization_id), invitation_id = std::move(invitation_id),
       access = OrganizationAccess(ctx.caller, authority_), &authority = authority_,
       now](store::ReadTransaction& tx) -> Result<InvitationView> {
        auto org = GetOrganizationById(tx, organization_id);
        if (!org) return org.error();
        if (auto r = access.Check(tx, Operation::kManageMemberships, org->id); !r) {
          return r.error();
        }
        auto inv = GetInOrganization(tx, organization_id, invitation_id);
        if (!inv) return inv.error();
        return OneView(tx, std::move(*inv), now, authority);
      },
      std::move(done));
}

void InvitationService::Revoke(const RequestContext& ctx, std::string organization_id,
                               std::string invitation_id,
                               std::optional<std::string> requesting_user_id,
                               Callback<InvitationView> done) {
  if (auto r = ValidateUserId(requesting_user_id, "requesting_user_id"); !r) {
    return done(r.error());
  }
  const int64_t now = clock_.NowMillis();
  std::string contention = organization_id;
  WriteContended<InvitationView>(
      db_, std::move(contention), ctx,
      [organization_id = std::move(organization_id), invitation_id = std::move(invitation_id),
       requesting_user_id = std::move(requesting_user_id),
       access = OrganizationAccess(ctx.caller, authority_), &authority = authority_,
       &payloads = payloads_,
       now](store::WriteTransaction& tx, Effects& effects) -> Result<InvitationView> {
        auto org = GetOrganizationById(tx, organization_id);
        if (!org) return org.error();
        if (auto r = access.Check(tx, Operation::kManageMemberships, org->id); !r) {
          return r.error();
        }
        if (requesting_user_id) {
          auto admin =
              RequireAdmin(tx, org->id, *requesting_user_id, "requesting_user_id", authority);
          if (!admin) return admin.error();
        }
        auto inv = GetInOrganization(tx, organization_id, invitation_id);
        if (!inv) return inv.error();
        if (!inv->IsPendingAt(now)) return errors::InvitationNotPending();
        inv->status = std::string(domain::kInvitationRevoked);
        inv->updated_at = now;
        if (auto r = tx.invitations().Update(*inv); !r) return r.error();
        auto view = OneView(tx, std::move(*inv), now, authority);
        if (view) RecordInvitation(effects, payloads, event_type::kInvitationRevoked, *view, *org);
        return view;
      },
      std::move(done));
}

void InvitationService::ListInstance(const RequestContext& ctx, store::InvitationListQuery query,
                                     Callback<store::Page<InvitationView>> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kListAllInvitations); !r) {
    return done(r.error());
  }
  query.now = clock_.NowMillis();
  Read<store::Page<InvitationView>>(
      db_,
      [query = std::move(query),
       &authority = authority_](store::ReadTransaction& tx) -> Result<store::Page<InvitationView>> {
        auto page = tx.invitations().List(query);
        if (!page) return page.error();
        return Views(tx, std::move(*page), query.now, true, authority);
      },
      std::move(done));
}

void InvitationService::ListForUser(const RequestContext& ctx, std::string user_id,
                                    store::InvitationListQuery query,
                                    Callback<store::Page<InvitationView>> done) {
  if (!IsSelf(ctx.caller, user_id)) {
    if (auto r = AuthorizeInstance(ctx.caller, Operation::kListAllInvitations); !r) {
      return done(r.error());
    }
  }
  query.now = clock_.NowMillis();
  Read<store::Page<InvitationView>>(
      db_,
      [user_id = std::move(user_id), query = std::move(query),
       &authority = authority_](store::ReadTransaction& tx) -> Result<store::Page<InvitationView>> {
        auto user = tx.users().Get(user_id);
        if (!user) return user.error();
        // A copy per run: a read that is run again starts from the request's query.
        store::InvitationListQuery to_user = query;
        for (const auto& e : user->email_addresses) to_user.email_addresses.push_back(e.value);
        if (to_user.email_addresses.empty()) return store::Page<InvitationView>{};
        auto page = tx.invitations().List(to_user);
        if (!page) return page.error();
        return Views(tx, std::move(*page), to_user.now, true, authority);
      },
      std::move(done));
}

Result<domain::Invitation> InvitationFromTicket(store::WriteTransaction& tx,
                                                std::string_view ticket, int64_t now) {
  const size_t dot = ticket.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 >= ticket.size()) {
    return errors::TicketInvalid();
  }
  auto inv = tx.invitations().Get(ticket.substr(0, dot));
  if (!inv) {
    if (inv.error().store_reason == StoreReason::kNotFound) return errors::TicketInvalid();
    return inv.error();
  }
  auto key = tx.settings().Secret(kTicketKeyName, NewTicketKey());
  if (!key) return key.error();
  const std::string expected = TicketMac(*key, *inv);
  const std::string_view given = ticket.substr(dot + 1);
  if (given.size() != expected.size() ||
      CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0) {
    return errors::TicketInvalid();
  }
  const std::string_view status = inv->Status(now);
  if (status == domain::kInvitationAccepted) return errors::InvitationAlreadyAccepted();
  if (status == domain::kInvitationRevoked) return errors::InvitationRevoked();
  if (status != domain::kInvitationPending) return errors::InvitationExpired();
  return inv;
}

Result<MembershipView> AcceptInvitation(store::WriteTransaction& tx, Effects& effects,
                                        const EventPayloads& payloads,
                                        const PermissionAuthority& authority,
                                        domain::Invitation inv, const std::string& user_id,
                                        std::string membership_id, int64_t now) {
  auto user = tx.users().Get(user_id);
  if (!user) return user.error();
  bool owns = false;
  for (const auto& e : user->email_addresses) owns |= e.value == inv.email_address;
  if (!owns) return errors::TicketInvalid();
  auto org = GetOrganizationById(tx, inv.organization_id);
  if (!org) return org.error();
  auto role = tx.roles().GetByKey(inv.role);
  if (!role) return role.error();
  // No longer pending first, so its own seat is free for the new member.
  inv.status = std::string(domain::kInvitationAccepted);
  inv.accepted_user_id = user_id;
  inv.updated_at = now;
  if (auto r = tx.invitations().Update(inv); !r) return r.error();
  domain::Membership m;
  m.id = std::move(membership_id);
  m.organization_id = inv.organization_id;
  m.user_id = user_id;
  m.role = inv.role;
  m.public_metadata = inv.public_metadata;
  m.private_metadata = inv.private_metadata;
  m.created_at = m.updated_at = now;
  if (auto r = tx.memberships().Insert(m, store::SeatCount::kMembersOnly); !r) {
    if (store::IsUniqueViolation(r.error(), store::constraint::kMembership)) {
      return errors::AlreadyMember(user_id);
    }
    if (r.error().store_reason == StoreReason::kLimitReached) {
      return errors::MembershipQuotaExceeded(org->max_allowed_memberships);
    }
    return r.error();
  }
  org->members_count += 1;
  auto accepted = OneView(tx, std::move(inv), now, authority);
  if (!accepted) return accepted.error();
  RecordInvitation(effects, payloads, event_type::kInvitationAccepted, *accepted, *org);
  MembershipView view{std::move(m), std::move(*org), std::move(*user), std::move(*role)};
  RecordEvent(effects, event_type::kMembershipCreated, view.membership.organization_id,
              view.membership.id, payloads.Membership(view), now);
  return view;
}

void InvitationService::Accept(const RequestContext& ctx, AcceptInvitationCommand cmd,
                               Callback<MembershipView> done) {
  // A signed-in user accepts only for themselves; trusted callers for anyone.
  if (!ctx.caller.IsTrusted() && ctx.caller.id != cmd.user_id) {
    return done(errors::AuthorizationInvalid());
  }
  const int64_t now = clock_.NowMillis();
  std::string membership_id = ids_.New(id_prefix::kMembership);
  Write<MembershipView>(
      db_, ctx,
      [cmd = std::move(cmd), now, membership_id = std::move(membership_id), &authority = authority_,
       &payloads = payloads_](store::WriteTransaction& tx,
                              Effects& effects) -> Result<MembershipView> {
        auto inv = InvitationFromTicket(tx, cmd.ticket, now);
        if (!inv) return inv.error();
        return AcceptInvitation(tx, effects, payloads, authority, std::move(*inv), cmd.user_id,
                                membership_id, now);
      },
      std::move(done));
}

void InvitationService::AcceptById(const RequestContext& ctx, std::string invitation_id,
                                   Callback<InvitationView> done) {
  if (ctx.caller.kind != Caller::Kind::kSession) return done(errors::AuthorizationInvalid());
  const int64_t now = clock_.NowMillis();
  std::string membership_id = ids_.New(id_prefix::kMembership);
  Write<InvitationView>(
      db_, ctx,
      [invitation_id = std::move(invitation_id), user_id = ctx.caller.id, now,
       membership_id = std::move(membership_id), &authority = authority_, &payloads = payloads_](
          store::WriteTransaction& tx, Effects& effects) -> Result<InvitationView> {
        auto inv = tx.invitations().Get(invitation_id);
        if (!inv) return inv.error();
        // Only the invited address's owner sees it: to anyone else it does not exist.
        auto user = tx.users().Get(user_id);
        if (!user) return user.error();
        bool owns = false;
        for (const auto& e : user->email_addresses) owns |= e.value == inv->email_address;
        if (!owns) return errors::NotFound("organization invitation");
        const std::string_view status = inv->Status(now);
        if (status == domain::kInvitationAccepted) return errors::InvitationAlreadyAccepted();
        if (status == domain::kInvitationRevoked) return errors::InvitationRevoked();
        if (status != domain::kInvitationPending) return errors::InvitationExpired();
        const std::string id = inv->id;
        auto accepted = AcceptInvitation(tx, effects, payloads, authority, std::move(*inv), user_id,
                                         membership_id, now);
        if (!accepted) return accepted.error();
        auto again = tx.invitations().Get(id);
        if (!again) return again.error();
        auto view = OneView(tx, std::move(*again), now, authority);
        if (!view) return view.error();
        view->organization = accepted->organization;
        return view;
      },
      std::move(done));
}

}  // namespace orgd::service
