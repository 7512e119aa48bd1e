// The Backend API's organization-membership endpoints (BEHAVIOR.md §3.2), as thin adapters over
// MembershipService. Routes are registered in api/routes.cc.
//
// Thread safety: the handler is immutable after construction; methods run on I/O threads.
#pragma once

#include "api/json/organization_json.h"
#include "http/request.h"
#include "service/membership_service.h"
#include "service/request_context.h"

namespace orgd::api {

class MembershipsHandler {
 public:
  // REQUIRES: `service` outlives the handler.
  MembershipsHandler(service::MembershipService& service, json::ImageUrls urls)
      : service_(service), urls_(std::move(urls)) {}

  // /v1/organizations/{organization_id}/memberships
  void Create(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // POST
  void List(const service::RequestContext& ctx, const http::Request& request,
            http::Responder respond);  // GET
  // /v1/organizations/{organization_id}/memberships/{user_id}
  void Update(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // PATCH
  void Delete(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // DELETE
  void MergeMetadata(const service::RequestContext& ctx, const http::Request& request,
                     http::Responder respond);  // PATCH …/metadata
  // GET /v1/organization_memberships (every organization)
  void ListInstance(const service::RequestContext& ctx, const http::Request& request,
                    http::Responder respond);
  // GET /v1/users/{user_id}/organization_memberships
  void ListForUser(const service::RequestContext& ctx, const http::Request& request,
                   http::Responder respond);

 private:
  service::Callback<service::MembershipView> ReplyMembership(const http::Request& request,
                                                             http::Responder respond) const;
  // Parses pagination, order_by and the filters the endpoint takes, then lists.
  void RunList(const service::RequestContext& ctx, const http::Request& request,
               http::Responder respond, store::MembershipListQuery query, bool with_filters);

  service::MembershipService& service_;
  const json::ImageUrls urls_;
};

}  // namespace orgd::api
