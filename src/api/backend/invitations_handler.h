// The Backend API's organization-invitation endpoints (BEHAVIOR.md §3.3), as thin adapters: read
// the request, call InvitationService, render the outcome. Routes are in api/routes.cc.
//
// Thread safety: the handler is immutable after construction; methods run on I/O threads.
#pragma once

#include "api/json/organization_json.h"
#include "http/request.h"
#include "service/invitation_service.h"
#include "service/request_context.h"

namespace orgd::api {

class InvitationsHandler {
 public:
  // REQUIRES: `service` outlives the handler.
  InvitationsHandler(service::InvitationService& service, json::ImageUrls urls)
      : service_(service), urls_(std::move(urls)) {}

  void Create(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // POST …/invitations
  void CreateBulk(const service::RequestContext& ctx, const http::Request& request,
                  http::Responder respond);  // POST …/invitations/bulk
  void List(const service::RequestContext& ctx, const http::Request& request,
            http::Responder respond);  // GET …/invitations
  void ListPending(const service::RequestContext& ctx, const http::Request& request,
                   http::Responder respond);  // GET …/invitations/pending
  void Get(const service::RequestContext& ctx, const http::Request& request,
           http::Responder respond);  // GET …/invitations/{invitation_id}
  void Revoke(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // POST …/invitations/{invitation_id}/revoke
  void ListInstance(const service::RequestContext& ctx, const http::Request& request,
                    http::Responder respond);  // GET /organization_invitations
  void ListForUser(const service::RequestContext& ctx, const http::Request& request,
                   http::Responder respond);  // GET /users/{user_id}/organization_invitations

 private:
  service::Callback<service::InvitationView> ReplyInvitation(const http::Request& request,
                                                             http::Responder respond) const;
  service::Callback<store::Page<service::InvitationView>> ReplyPage(const http::Request& request,
                                                                    http::Responder respond) const;

  service::InvitationService& service_;
  const json::ImageUrls urls_;
};

}  // namespace orgd::api
