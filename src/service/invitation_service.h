// InvitationService: organization invitations (BEHAVIOR.md §2.3, §3.3). Every rule that must hold
// under races is the store's, in the transaction that writes: one pending invitation per
// organization and address, and the member limit counting members plus pending invitations.
//
// An invitation's accept link carries a ticket: the invitation's ID and an HMAC-SHA256, under a
// key kept in the store (every node has it), of the ID, the address and the expiry. A ticket is
// refused when forged, when the invitation is no longer pending (accepted: single use; revoked;
// expired), and when the accepting user does not own the invited address.
//
// With notify and an accept link, the invitation's email is queued in the same transaction as a
// background job (service/invitation_email.h sends it).
//
// Webhook events, each in the transaction of its change (service/event_payloads.h):
// organizationInvitation.created (one per invitation of a bulk create), .revoked, and, on
// acceptance, organizationInvitation.accepted then organizationMembership.created (the order of
// the writes). An invitation that expires records nothing (Clerk has no such event), nor does
// an expired one that a new invitation to the same address replaces.
//
// Thread safety: every method may be called from any thread; callbacks follow service/callback.h.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/ids.h"
#include "domain/invitation.h"
#include "domain/organization.h"
#include "domain/user.h"
#include "service/callback.h"
#include "service/event_payloads.h"
#include "service/membership_service.h"
#include "service/permission_authority.h"
#include "service/request_context.h"
#include "store/database.h"

namespace orgd::service {

class Effects;  // service/transaction.h

struct CreateInvitationCommand {
  std::optional<std::string> email_address;  // required
  std::optional<std::string> role;           // required
  std::optional<std::string> inviter_user_id;
  std::optional<boost::json::value> public_metadata;
  std::optional<boost::json::value> private_metadata;
  std::optional<std::string> redirect_url;
  std::optional<int64_t> expires_in_days;  // 1–365; default 30
  std::optional<bool> notify;              // default true
};

// An invitation with what its JSON shows.
struct InvitationView {
  domain::Invitation invitation;
  std::string role_name;
  std::optional<domain::User> inviter;               // absent without one (or deleted)
  std::optional<domain::Organization> organization;  // on the instance and user lists
  int64_t now = 0;                                   // the time its status is shown for
};

struct AcceptInvitationCommand {
  std::string ticket;   // from the accept link's __clerk_ticket
  std::string user_id;  // who accepts: must own the invited address
};

class InvitationService {
 public:
  // `default_redirect_url`: the accept page for invitations that name none (--invitation-url);
  // empty: such invitations have no url.
  // REQUIRES: every argument outlives the service.
  InvitationService(store::Database& db, const Clock& clock, IdGenerator& ids,
                    const PermissionAuthority& authority, std::string default_redirect_url,
                    const EventPayloads& payloads);

  // Authorization: org:sys_memberships:manage in the organization for every organization-level
  // method (BEHAVIOR.md §4.2); the instance-wide and per-user lists need a trusted caller.
  //
  // Errors: form_param_missing (email_address, role); form_param_format_invalid (email_address,
  // redirect_url); form_param_value_invalid (expires_in_days); metadata errors; 404 for the
  // organization, the role or the inviter; 403 not_an_admin_in_organization (inviter);
  // 400 already_a_member_in_organization; 400 organization_invitation_not_unique; 403
  // organization_membership_quota_exceeded.
  void Create(const RequestContext& ctx, std::string organization_id, CreateInvitationCommand cmd,
              Callback<InvitationView> done);
  // All of `items` (1–10) in one transaction, or none: the first item's error.
  void CreateBulk(const RequestContext& ctx, std::string organization_id,
                  std::vector<CreateInvitationCommand> items,
                  Callback<std::vector<InvitationView>> done);
  // One organization's invitations. REQUIRES: query.organization_id is set.
  void List(const RequestContext& ctx, store::InvitationListQuery query,
            Callback<store::Page<InvitationView>> done);
  // 404 for an unknown ID or another organization's invitation.
  void Get(const RequestContext& ctx, std::string organization_id, std::string invitation_id,
           Callback<InvitationView> done);
  // 404 organization_invitation_not_pending unless pending; 403 not_an_admin_in_organization
  // when requesting_user_id is given and no admin there.
  void Revoke(const RequestContext& ctx, std::string organization_id, std::string invitation_id,
              std::optional<std::string> requesting_user_id, Callback<InvitationView> done);
  // Every invitation of the instance, with its organization.
  void ListInstance(const RequestContext& ctx, store::InvitationListQuery query,
                    Callback<store::Page<InvitationView>> done);
  // The invitations to any of the user's addresses, with their organizations. 404 for the user.
  void ListForUser(const RequestContext& ctx, std::string user_id, store::InvitationListQuery query,
                   Callback<store::Page<InvitationView>> done);

  // Accepts in one transaction: the invitation becomes accepted and the user a member with its
  // role and both metadata blobs, never past max_allowed_memberships. A session caller may accept
  // only as themselves. Errors: 400 ticket_invalid; 400 organization_invitation_revoked_code,
  // organization_invitation_already_accepted, organization_invitation_expired; 400
  // already_a_member_in_organization; 403 organization_membership_quota_exceeded; 404 for the user
  // or the organization; 404 for a role deleted meanwhile.
  void Accept(const RequestContext& ctx, AcceptInvitationCommand cmd,
              Callback<MembershipView> done);
  // The Frontend API's accept (POST /v1/me/organization_invitations/{id}/accept): the session
  // caller accepts an invitation to one of their addresses; answers it accepted, with its
  // organization. 404 for an invitation to another address; errors as Accept() otherwise.
  void AcceptById(const RequestContext& ctx, std::string invitation_id,
                  Callback<InvitationView> done);

 private:
  store::Database& db_;
  const Clock& clock_;
  IdGenerator& ids_;
  const PermissionAuthority& authority_;
  const std::string default_redirect_url_;
  const EventPayloads& payloads_;
};

// Accept()'s steps in a transaction, for the Frontend API's ticket sign-in and sign-up: the
// pending invitation a ticket names (errors as Accept()), and its acceptance by `user_id`.
Result<domain::Invitation> InvitationFromTicket(store::WriteTransaction& tx,
                                                std::string_view ticket, int64_t now);
Result<MembershipView> AcceptInvitation(store::WriteTransaction& tx, Effects& effects,
                                        const EventPayloads& payloads,
                                        const PermissionAuthority& authority,
                                        domain::Invitation inv, const std::string& user_id,
                                        std::string membership_id, int64_t now);

// The kind of the job that sends an invitation's email, queued in the transaction that creates an
// invitation with notify and an accept link (service/invitation_email.h sends it).
inline constexpr const char* kInvitationEmailJob = "invitation_email";

// The ticket of an invitation under `key` (hex): "<invitation id>.<64 hex digits>".
std::string InvitationTicket(std::string_view key, const domain::Invitation& invitation);

}  // namespace orgd::service
