// The Frontend API's organizations, as clerk-js's Organization, OrganizationMembership,
// OrganizationInvitation and User objects call them (CLERK-JS.md §5, BEHAVIOR.md §4.2–4.3):
// /v1/organizations/… and the user's own /v1/me/organization_… lists. Every call goes to the
// same services as the Backend API's, with the session's caller: the services decide by the
// caller's membership in that organization (service/authorization.h), never by a request field.
// Metadata is never written here; replies never carry private metadata (FrontendReplies).
#pragma once

#include "api/frontend/frontend_reply.h"
#include "http/request.h"
#include "service/invitation_service.h"
#include "service/membership_service.h"
#include "service/organization_service.h"
#include "service/request_context.h"
#include "service/role_service.h"

namespace orgd::api {

class FrontendOrganizationsHandler {
 public:
  // REQUIRES: every argument outlives the handler.
  FrontendOrganizationsHandler(service::OrganizationService& organizations,
                               service::MembershipService& memberships,
                               service::InvitationService& invitations,
                               service::RoleService& roles, const FrontendReplies& replies)
      : organizations_(organizations),
        memberships_(memberships),
        invitations_(invitations),
        roles_(roles),
        replies_(replies) {}

#define ORGD_FRONTEND_ROUTE(name)                                                \
  void name(const service::RequestContext& ctx, const http::Request& request, \
            http::Responder respond)
  ORGD_FRONTEND_ROUTE(Create);
  ORGD_FRONTEND_ROUTE(Get);
  ORGD_FRONTEND_ROUTE(Update);
  ORGD_FRONTEND_ROUTE(Delete);
  ORGD_FRONTEND_ROUTE(SetLogo);
  ORGD_FRONTEND_ROUTE(DeleteLogo);
  ORGD_FRONTEND_ROUTE(LogoTooLarge);
  ORGD_FRONTEND_ROUTE(ListMemberships);
  ORGD_FRONTEND_ROUTE(AddMember);
  ORGD_FRONTEND_ROUTE(UpdateMember);
  ORGD_FRONTEND_ROUTE(RemoveMember);
  ORGD_FRONTEND_ROUTE(ListInvitations);
  ORGD_FRONTEND_ROUTE(Invite);
  ORGD_FRONTEND_ROUTE(InviteBulk);
  ORGD_FRONTEND_ROUTE(RevokeInvitation);
  ORGD_FRONTEND_ROUTE(ListRoles);
  // Domains and membership requests come with the domains issue: until then an organization has
  // none, and these answer the empty lists to whoever may read them.
  ORGD_FRONTEND_ROUTE(ListDomains);
  ORGD_FRONTEND_ROUTE(ListMembershipRequests);
  // The user's own side.
  ORGD_FRONTEND_ROUTE(MyMemberships);
  ORGD_FRONTEND_ROUTE(LeaveOrganization);
  ORGD_FRONTEND_ROUTE(MyInvitations);
  ORGD_FRONTEND_ROUTE(AcceptMyInvitation);
  ORGD_FRONTEND_ROUTE(MySuggestions);
#undef ORGD_FRONTEND_ROUTE

 private:
  // An empty page for `operation` in the path's organization, once the caller may run it there.
  void EmptyListFor(const service::RequestContext& ctx, const http::Request& request,
                    http::Responder respond, service::Operation operation);

  service::OrganizationService& organizations_;
  service::MembershipService& memberships_;
  service::InvitationService& invitations_;
  service::RoleService& roles_;
  const FrontendReplies& replies_;
};

}  // namespace orgd::api
