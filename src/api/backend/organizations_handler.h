// The Backend API's organization endpoints (BEHAVIOR.md §3.1), as thin adapters: read the
// request, call OrganizationService, render the outcome. Routes are registered in api/routes.cc.
//
// Thread safety: the handler is immutable after construction; methods run on I/O threads.
#pragma once

#include "api/json/organization_json.h"
#include "http/request.h"
#include "service/organization_service.h"
#include "service/request_context.h"

namespace orgd::api {

class OrganizationsHandler {
 public:
  // Bytes a logo upload request may carry: the 10 MB image plus room for the multipart framing.
  static constexpr size_t kLogoRequestLimit =
      service::OrganizationService::kMaxLogoBytes + 64 * 1024;

  // REQUIRES: `service` outlives the handler.
  OrganizationsHandler(service::OrganizationService& service, json::ImageUrls urls)
      : service_(service), urls_(std::move(urls)) {}

  void Create(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // POST
  void List(const service::RequestContext& ctx, const http::Request& request,
            http::Responder respond);  // GET
  void Get(const service::RequestContext& ctx, const http::Request& request,
           http::Responder respond);  // GET {id}
  void Update(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // PATCH {id}
  void Delete(const service::RequestContext& ctx, const http::Request& request,
              http::Responder respond);  // DELETE {id}
  void MergeMetadata(const service::RequestContext& ctx, const http::Request& request,
                     http::Responder respond);  // PATCH …/metadata
  void ReplaceMetadata(const service::RequestContext& ctx, const http::Request& request,
                       http::Responder respond);  // PUT …/metadata
  void SetLogo(const service::RequestContext& ctx, const http::Request& request,
               http::Responder respond);  // PUT …/logo
  void DeleteLogo(const service::RequestContext& ctx, const http::Request& request,
                  http::Responder respond);  // DELETE …/logo
  // Answers a logo upload whose body exceeds kLogoRequestLimit (413 image_too_large).
  void LogoTooLarge(const service::RequestContext& ctx, const http::Request& request,
                    http::Responder respond);

 private:
  service::Callback<domain::Organization> ReplyOrganization(
      const http::Request& request, http::Responder respond,
      json::OrganizationJsonOptions options = {}) const;

  service::OrganizationService& service_;
  const json::ImageUrls urls_;
};

}  // namespace orgd::api
