// The Frontend API's organizations, as clerk-js's Organization, OrganizationMembership,
// OrganizationInvitation and User objects call them (CLERK-JS.md §5, BEHAVIOR.md §4.2–4.3):
// /v1/organizations/… and the user's own /v1/me/organization_… lists. Every call goes to the
// same services as the Backend API's, with the session's caller: the services decide by the
// caller's membership in that organization (service/authorization.h), never by a request field.
// Metadata is never written here; replies never carry private metadata (FrontendReplies).
#pragma once

#include "api/frontend/frontend_reply.h"
#include "api/query_params.h"
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
                               service::InvitationService& invitations, service::RoleService& roles,
                               const FrontendReplies& replies)
      : organizations_(organizations),
        memberships_(memberships),
        invitations_(invitations),
        roles_(roles),
        replies_(replies) {}

  void Create(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);
  void Get(const service::RequestContext& ctx, const http::Request& request,
           http::Responder respond);
  void Update(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);
  void Delete(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);
  void SetLogo(const service::RequestContext& ctx, const http::Request& request,
               http::Responder respond);
  void DeleteLogo(const service::RequestContext& ctx, const http::Request& request,
                  http::Responder respond);
  void LogoTooLarge(const service::RequestContext& ctx, const http::Request& request,
                    http::Responder respond);
  void ListMemberships(const service::RequestContext& ctx, const http::Request& request,
                       http::Responder respond);
  void AddMember(const service::RequestContext& ctx, const http::Request& request,
                 http::Responder respond);
  void UpdateMember(const service::RequestContext& ctx, const http::Request& request,
                    http::Responder respond);
  void RemoveMember(const service::RequestContext& ctx, const http::Request& request,
                    http::Responder respond);
  void ListInvitations(const service::RequestContext& ctx, const http::Request& request,
                       http::Responder respond);
  void Invite(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);
  void InviteBulk(const service::RequestContext& ctx, const http::Request& request,
                  http::Responder respond);
  void RevokeInvitation(const service::RequestContext& ctx, const http::Request& request,
                        http::Responder respond);
  void ListRoles(const service::RequestContext& ctx, const http::Request& request,
                 http::Responder respond);
  // The user's own side.
  void MyMemberships(const service::RequestContext& ctx, const http::Request& request,
                     http::Responder respond);
  void LeaveOrganization(const service::RequestContext& ctx, const http::Request& request,
                         http::Responder respond);
  void MyInvitations(const service::RequestContext& ctx, const http::Request& request,
                     http::Responder respond);
  void AcceptMyInvitation(const service::RequestContext& ctx, const http::Request& request,
                          http::Responder respond);

 private:
  // A page of memberships (limit, offset, paginated from `params`) as clerk-js reads them, with
  // each organization's counts.
  void RunMembershipList(const service::RequestContext& ctx, const http::Request& request,
                         http::Responder respond, const QueryParams& params,
                         store::MembershipListQuery query);

  service::OrganizationService& organizations_;
  service::MembershipService& memberships_;
  service::InvitationService& invitations_;
  service::RoleService& roles_;
  const FrontendReplies& replies_;
};

}  // namespace orgd::api
