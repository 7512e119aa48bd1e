// The Frontend API's organization domains, membership requests and the user's suggestions, as
// clerk-js's OrganizationDomain, OrganizationMembershipRequest and OrganizationSuggestion call
// them (BEHAVIOR.md §4.2–4.3), over DomainService with the session's caller.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/frontend/frontend_reply.h"
#include "http/request.h"
#include "service/domain_service.h"
#include "service/request_context.h"

namespace orgd::api {

class FrontendDomainsHandler {
 public:
  // REQUIRES: both outlive the handler.
  FrontendDomainsHandler(service::DomainService& domains, const FrontendReplies& replies)
      : domains_(domains), replies_(replies) {}

  void List(const service::RequestContext& ctx, const http::Request& request,
            http::Responder respond);
  void Create(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);
  void Get(const service::RequestContext& ctx, const http::Request& request,
           http::Responder respond);
  void Delete(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);
  void UpdateEnrollmentMode(const service::RequestContext& ctx, const http::Request& request,
                            http::Responder respond);
  void PrepareAffiliation(const service::RequestContext& ctx, const http::Request& request,
                          http::Responder respond);
  void AttemptAffiliation(const service::RequestContext& ctx, const http::Request& request,
                          http::Responder respond);
  void PrepareOwnership(const service::RequestContext& ctx, const http::Request& request,
                        http::Responder respond);
  void AttemptOwnership(const service::RequestContext& ctx, const http::Request& request,
                        http::Responder respond);
  // The bulk forms: each item on its own (a partial success: {data, errors}); an error about
  // the caller or the organization answers the whole call.
  void CreateBulk(const service::RequestContext& ctx, const http::Request& request,
                  http::Responder respond);
  void PrepareOwnershipBulk(const service::RequestContext& ctx, const http::Request& request,
                            http::Responder respond);
  void AttemptOwnershipBulk(const service::RequestContext& ctx, const http::Request& request,
                            http::Responder respond);
  void ListRequests(const service::RequestContext& ctx, const http::Request& request,
                    http::Responder respond);
  void AcceptRequest(const service::RequestContext& ctx, const http::Request& request,
                     http::Responder respond);
  void RejectRequest(const service::RequestContext& ctx, const http::Request& request,
                     http::Responder respond);
  void MySuggestions(const service::RequestContext& ctx, const http::Request& request,
                     http::Responder respond);
  void AcceptSuggestion(const service::RequestContext& ctx, const http::Request& request,
                        http::Responder respond);

 private:
  // The reply of a change to one domain: the domain (with its TXT challenge) and the client.
  service::Callback<service::DomainView> DomainChange(const service::RequestContext& ctx,
                                                      const http::Request& request,
                                                      http::Responder respond) const;

  // Runs `step` for each of `items` in turn, then answers {data, errors} (errors keyed by
  // `key_name`: "id" or "name").
  using Step = std::function<void(const std::string& item, service::Callback<service::DomainView>)>;
  void RunBulk(const service::RequestContext& ctx, const http::Request& request,
               http::Responder respond, std::vector<std::string> items, std::string key_name,
               Step step);

  // PrepareOwnership or AttemptOwnership for each of the body's organization_domain_ids.
  using OwnershipStep = void (service::DomainService::*)(const service::RequestContext&,
                                                         std::string, std::string,
                                                         service::Callback<service::DomainView>);
  void OwnershipBulk(const service::RequestContext& ctx, const http::Request& request,
                     http::Responder respond, OwnershipStep step);

  service::DomainService& domains_;
  const FrontendReplies& replies_;
};

}  // namespace orgd::api
