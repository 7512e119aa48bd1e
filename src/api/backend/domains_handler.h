// The Backend API's organization domains (BEHAVIOR.md §3.4), as thin adapters over DomainService.
// Routes are in api/routes.cc.
//
// Thread safety: the handler is immutable after construction; methods run on I/O threads.
#pragma once

#include "api/json/organization_json.h"
#include "http/request.h"
#include "service/domain_service.h"
#include "service/request_context.h"

namespace orgd::api {

class DomainsHandler {
 public:
  // REQUIRES: `service` outlives the handler.
  DomainsHandler(service::DomainService& service, json::ImageUrls urls)
      : service_(service), urls_(std::move(urls)) {}

  void Create(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // POST /organizations/{id}/domains
  void List(const service::RequestContext& ctx, const http::Request& request,
            http::Responder respond);  // GET /organizations/{id}/domains
  void Update(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // PATCH …/domains/{domain_id}
  void Delete(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // DELETE …/domains/{domain_id}
  void VerifyOwnership(const service::RequestContext& ctx, const http::Request& request,
                       http::Responder respond);  // POST …/domains/{domain_id}/verify_ownership
  void ListInstance(const service::RequestContext& ctx, const http::Request& request,
                    http::Responder respond);  // GET /organization_domains

 private:
  void RunList(const service::RequestContext& ctx, const http::Request& request,
               http::Responder respond, bool instance);

  service::DomainService& service_;
  const json::ImageUrls urls_;
};

}  // namespace orgd::api
